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

    /// Horizontal bars, one row each, scaled to the largest value; the text alternative
    /// names each bar with its figure.
    static func bars(id: String, title: String, _ bars: [Bar]) -> String {
        let summary = bars.map { "\($0.label) \($0.text)" }.joined(separator: "; ")
        let width = 340.0, labelWidth = 130.0, figureWidth = 70.0, row = 24.0
        let height = max(row, row * Double(bars.count)) + 8
        let largest = bars.map(\.value).max().map { $0 > 0 ? $0 : 1 } ?? 1
        var marks: [SVG] = []
        for (index, bar) in bars.enumerated() {
            let y = 4 + row * Double(index)
            let length = max(0, (width - labelWidth - figureWidth) * bar.value / largest)
            marks += [
                .element("text", ["x": "0", "y": rounded(y + 16), "class": "label"], [.text(bar.label)]),
                .element(
                    "rect",
                    ["class": "bar", "x": rounded(labelWidth), "y": rounded(y + 4), "width": rounded(length), "height": rounded(row - 8)]),
                .element("text", ["x": rounded(labelWidth + length + 4), "y": rounded(y + 16), "class": "figure"], [.text(bar.text)]),
            ]
        }
        return chart(id: id, title: title, summary: summary, width: width, height: height, marks).xml
    }

    struct Point {
        let label: String
        let value: Double
        let text: String
    }

    /// A line through the points in order, from 0 to `maximum`, each point with its figure.
    static func line(id: String, title: String, summary: String, _ points: [Point], maximum: Double) -> String {
        let width = 340.0, height = 160.0, left = 24.0, right = 24.0, top = 20.0, bottom = 28.0
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
        String(format: "%.1f", value)
    }
}
