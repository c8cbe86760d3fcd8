import Foundation

/// Plain SVG charts drawn on the server: no script, no library. Each has a title and a text
/// alternative, and writes every figure as text beside its mark, so it reads without colour
/// and in a screen reader.
enum SVGChart {
    struct Bar {
        let label: String
        let value: Double
        /// The figure as people read it, written after the bar.
        let text: String
    }

    /// Horizontal bars scaled to the largest value, each under its label (a label never
    /// meets a bar or a figure, however long), its figure after it in the room kept for the
    /// longest figure; the text alternative names each bar with its figure.
    static func bars(id: String, title: String, _ bars: [Bar]) -> String {
        let summary = bars.map { "\($0.label) \($0.text)" }.joined(separator: "; ")
        let figureWidth = (bars.map { textWidth($0.text) }.max() ?? 0) + 6, row = 2 * line + 10
        let height = max(row, row * Double(bars.count)) + 4
        let largest = bars.map(\.value).max().map { $0 > 0 ? $0 : 1 } ?? 1
        var marks: [SVG] = []
        for (index, bar) in bars.enumerated() {
            let y = 2 + row * Double(index)
            let length = max(0, (width - figureWidth) * bar.value / largest)
            marks += [
                .element("text", ["x": "2", "y": rounded(y + line - 3), "class": "label"], [.text(bar.label)]),
                .element(
                    "rect", ["class": "bar", "x": "0", "y": rounded(y + line + 1), "width": rounded(length), "height": rounded(line - 2)]),
                .element("text", ["x": rounded(length + 4), "y": rounded(y + 2 * line - 3), "class": "figure"], [.text(bar.text)]),
            ]
        }
        return chart(id: id, title: title, summary: summary, width: width, height: height, marks).xml
    }

    /// Every chart's width in its own units, and the height of a line of its text (14 units:
    /// 12.8 px where the chart is drawn at its narrowest, 312 px on a 360 px phone).
    static let width = 340.0, line = 17.0

    /// About how wide `text` is drawn at 14 units: a digit or a letter 7.8 units at most.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 7.8 }

    struct Point {
        let label: String
        let value: Double
        let text: String
    }

    /// A line through the points in order, from 0 to `maximum`, each point with its figure.
    static func line(id: String, title: String, summary: String, _ points: [Point], maximum: Double) -> String {
        // Room at each side for half the widest figure, written centred over its point.
        let side = max(24, (points.map { textWidth($0.text) }.max() ?? 0) / 2 + 2)
        let height = 170.0, left = side, right = side, top = 24.0, bottom = 30.0
        let step = points.count > 1 ? (width - left - right) / Double(points.count - 1) : 0
        func position(_ index: Int, _ value: Double) -> (x: Double, y: Double) {
            let x = points.count > 1 ? left + step * Double(index) : width / 2
            return (x, top + (height - top - bottom) * (1 - min(max(value / max(maximum, 1e-9), 0), 1)))
        }
        var marks: [SVG] = [
            .element(
                "line",
                [
                    "class": "axis", "x1": rounded(left), "y1": rounded(height - bottom), "x2": rounded(width - right),
                    "y2": rounded(height - bottom),
                ])
        ]
        let path = points.enumerated().map { index, point in
            let at = position(index, point.value)
            return "\(rounded(at.x)),\(rounded(at.y))"
        }
        if points.count > 1 { marks.append(.element("polyline", ["class": "line", "points": path.joined(separator: " ")])) }
        for (index, point) in points.enumerated() {
            let at = position(index, point.value)
            let x = rounded(at.x)
            marks += [
                .element("circle", ["class": "point", "cx": x, "cy": rounded(at.y), "r": "4"]),
                .element("text", ["x": x, "y": rounded(at.y - 8), "class": "figure", "text-anchor": "middle"], [.text(point.text)]),
                .element("text", ["x": x, "y": rounded(height - 8), "class": "label", "text-anchor": "middle"], [.text(point.label)]),
            ]
        }
        return chart(id: id, title: title, summary: summary, width: width, height: height, marks).xml
    }

    /// The `<svg>` of a chart: its title and text alternative first, for screen readers.
    static func chart(id: String, title: String, summary: String, width: Double, height: Double, _ marks: [SVG]) -> SVG {
        .element(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart", "role": "img", "aria-labelledby": "\(id)-title \(id)-desc",
                "viewBox": "0 0 \(rounded(width)) \(rounded(height))", "width": "100%", "preserveAspectRatio": "xMinYMin meet",
            ],
            [.element("title", ["id": "\(id)-title"], [.text(title)]), .element("desc", ["id": "\(id)-desc"], [.text(summary)])] + marks)
    }

    static func rounded(_ value: Double) -> String {
        value.fixed(1)
    }
}
