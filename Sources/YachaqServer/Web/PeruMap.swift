import Foundation
import YachaqDomain
import YachaqStore

/// Peru's 1,891 districts with their capitals' coordinates, arranged for the pages:
/// departments and provinces for the pickers, and the department outlines of the map.
struct DistrictAtlas: Sendable {
    let reference: ReferenceData
    /// Department code (2 digits) → name, and province code (4 digits) → name.
    let departments: [(code: String, name: String)]
    let provinces: [(code: String, name: String)]

    init(_ reference: ReferenceData) {
        func named(_ digits: Int, _ name: (District) -> String) -> [(code: String, name: String)] {
            var seen: [String: String] = [:]
            for district in reference.districts { seen[String(district.ubigeo.prefix(digits))] = name(district) }
            return seen.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        self.reference = reference
        departments = named(2, \.department)
        provinces = named(4, \.province)
    }

    /// All districts, in ubigeo order.
    var districts: [District] { reference.districts }

    /// A place a form chose: each level kept only if it exists and lies within the wider
    /// level chosen with it.
    struct Place {
        var department: (code: String, name: String)?
        var province: (code: String, name: String)?
        var district: District?
        /// The narrowest ubigeo prefix chosen: 6 digits, 4 or 2.
        var code: String? { district?.ubigeo ?? province?.code ?? department?.code }
    }

    func place(department: String?, province: String?, district: String?) -> Place {
        var place = Place()
        place.department = department.flatMap { code in departments.first { $0.code == code } }
        place.province = province.flatMap { code in provinces.first { $0.code == code && code.hasPrefix(place.department?.code ?? "") } }
        place.district = district.flatMap(Ubigeo.init).flatMap(reference.district).flatMap {
            $0.ubigeo.hasPrefix(place.province?.code ?? place.department?.code ?? "") ? $0 : nil
        }
        return place
    }
}

/// Peru drawn as SVG from the district capitals: each department's outline approximated by
/// the convex hull of its districts' capitals (no boundary data is shipped), and each
/// district with something to count as a linked circle, shaded and sized by its count.
enum PeruMap {
    /// Counts of 1, 2–4, 5–14 and 15 or more: the four shades (and sizes) of the legend.
    static let buckets: [(from: Int, radius: Double)] = [(1, 2.5), (2, 3.5), (5, 4.5), (15, 6)]

    struct Legend {
        let title: String
        let summary: String
        /// "1", "2–4", ...: the words beside each shade.
        let bucketNames: [String]
    }

    /// The map of `districts` (all of Peru, or one department's), with `counts` by ubigeo;
    /// each shaded district links to `link(ubigeo)`.
    static func svg(
        districts: [District], all: [District], counts: [String: Int], legend: Legend, name: (District, Int) -> String,
        link: (String) -> String
    ) -> String {
        let width = 340.0
        let longitudes = districts.map(\.longitude), latitudes = districts.map(\.latitude)
        let west = (longitudes.min() ?? -81.4) - 0.2, east = (longitudes.max() ?? -68.6) + 0.2
        let north = (latitudes.max() ?? 0) + 0.2, south = (latitudes.min() ?? -18.4) - 0.2
        // Degrees of longitude shrink with latitude: scale them by the cosine at the middle.
        let squeeze = cos((north + south) / 2 * .pi / 180)
        let scale = width / max((east - west) * squeeze, 0.01)
        let height = max(120, (north - south) * scale)
        func point(_ district: District) -> (x: Double, y: Double) {
            ((district.longitude - west) * squeeze * scale, (north - district.latitude) * scale)
        }
        let legendHeight = 30.0
        var marks: [SVG] = []
        for department in Dictionary(grouping: all, by: { String($0.ubigeo.prefix(2)) }).sorted(by: { $0.key < $1.key }) {
            let hull = convexHull(department.value.map(point))
            guard hull.count > 2 else { continue }
            let points = hull.map { "\(SVGChart.rounded($0.x)),\(SVGChart.rounded($0.y))" }.joined(separator: " ")
            marks.append(
                .element(
                    "polygon", ["class": "department", "points": points], [.element("title", [:], [.text(department.value[0].department)])])
            )
        }
        for district in districts {
            guard let count = counts[district.ubigeo], count > 0 else { continue }
            let bucket = buckets.lastIndex { count >= $0.from } ?? 0
            let at = point(district)
            let circle = SVG.element(
                "circle",
                [
                    "class": "shade-\(bucket + 1)", "cx": SVGChart.rounded(at.x), "cy": SVGChart.rounded(at.y),
                    "r": "\(buckets[bucket].radius)",
                ], [.element("title", [:], [.text(name(district, count))])])
            marks.append(.element("a", ["href": link(district.ubigeo)], [circle]))
        }
        for (index, bucket) in buckets.enumerated() {
            let x = 10 + Double(index) * 82
            marks += [
                .element(
                    "circle", ["class": "legend-\(index + 1)", "cx": "\(x)", "cy": SVGChart.rounded(height + 15), "r": "\(bucket.radius)"]),
                .element(
                    "text", ["class": "label", "x": "\(x + 9)", "y": SVGChart.rounded(height + 19)], [.text(legend.bucketNames[index])]),
            ]
        }
        return SVGChart.chart(id: "map", title: legend.title, summary: legend.summary, width: width, height: height + legendHeight, marks)
            .xml
    }

    /// Andrew's monotone chain: the hull's corners in order.
    static func convexHull(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let sorted = points.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        guard sorted.count > 2 else { return sorted }
        func cross(_ o: (x: Double, y: Double), _ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var lower: [(x: Double, y: Double)] = [], upper: [(x: Double, y: Double)] = []
        for point in sorted {
            while lower.count >= 2, cross(lower[lower.count - 2], lower[lower.count - 1], point) <= 0 { lower.removeLast() }
            lower.append(point)
        }
        for point in sorted.reversed() {
            while upper.count >= 2, cross(upper[upper.count - 2], upper[upper.count - 1], point) <= 0 { upper.removeLast() }
            upper.append(point)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
