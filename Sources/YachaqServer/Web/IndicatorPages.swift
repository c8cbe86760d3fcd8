import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// Staff's indicators with their charts, the map of Peru, and the exports, for a signed-in
/// browser (the API's reports want a bearer token). The figures are `IndicatorStore`'s, the
/// same the API returns; the charts draw them, nothing more.
struct IndicatorPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData
    let atlas: DistrictAtlas

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/staff/indicators") { request, context in
            try context.require(.readReports)
            return try await indicatorsPage(request, context)
        }
        pages.get("/staff/indicators.csv") { request, context in
            try context.require(.readReports)
            return ReportController.csv(try await actions.readIndicators(try await scope(request), by: try context.signedIn()))
        }
        pages.get("/staff/map") { request, context in
            try context.require(.readReports)
            return try await map(request, context)
        }
        pages.get("/staff/exports/providers.csv") { _, context in
            try context.require(.readReports)
            return ReportController.csv(try actions.exportProviderFigures(by: try context.signedIn()))
        }
        pages.get("/staff/exports/ocds.json") { request, context in
            try context.require(.readReports)
            let (from, to) = try ReportController.period(request)
            return ReportController.package(try actions.exportOCDS(by: try context.signedIn()), from: from, to: to, request: request)
        }
    }

    /// The page's place (a department, a province of it, a district of it, by code) and period,
    /// as the API's scope (by name, as `GET /v1/reports/indicators` takes it).
    private func scope(_ request: Request) async throws -> IndicatorScope {
        let place = atlas.place(
            department: request.pageQuery("department"), province: request.pageQuery("province"), district: request.pageQuery("district"))
        var check = Validator()
        let from = request.pageQuery("from").map(CalendarDate.init), to = request.pageQuery("to").map(CalendarDate.init)
        check(from.map { $0 != nil } ?? true, "from", "a date is written 2026-03-01")
        check(to.map { $0 != nil } ?? true, "to", "a date is written 2026-03-01")
        try check.finish()
        return IndicatorScope(
            department: place.department?.name, province: place.province?.name, district: place.district?.ubigeo, from: (from ?? nil)?.text,
            to: (to ?? nil)?.text)
    }

    private func indicatorsPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let words = PageWords(kit: kit, language: context.page.language, reference: reference)
        let scope = try await scope(request)
        let figures = try await actions.readIndicators(scope, by: try context.signedIn())
        let chosen = request.pageQuery("department")
        let view = IndicatorsView(
            place: [scope.district, scope.province, scope.department].compactMap { $0 }.first ?? words("indicators.peru"),
            departments: atlas.departments.map { Choice(code: $0.code, name: $0.name, checked: $0.code == chosen) },
            provinces: chosen.map { code in
                atlas.provinces.filter { $0.code.hasPrefix(code) }.map {
                    Choice(code: $0.code, name: $0.name, checked: $0.code == request.pageQuery("province"))
                }
            } ?? [], from: scope.from ?? "", to: scope.to ?? "",
            asOf: words("indicators.as_of", ["time": PageWords.peruTime(figures.asOf)]),
            csv: "/staff/indicators.csv" + (request.uri.query.map { "?" + $0 } ?? ""),
            map: "/staff/map?what=contracts" + (chosen.map { "&department=\($0)" } ?? ""),
            figures: IndicatorCharts.rows(figures, words), charts: IndicatorCharts.charts(figures, words))
        return try kit.render(.staffIndicators, view, context: context)
    }

    /// Peru, or one department, with talents, open requests or contracts per district.
    private func map(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let words = PageWords(kit: kit, language: context.page.language, reference: reference)
        let subject = request.pageQuery("what").flatMap(DistrictCounts.Subject.init(rawValue:)) ?? .providers
        let department = atlas.place(department: request.pageQuery("department"), province: nil, district: nil).department
        let shown = department.map { chosen in atlas.districts.filter { $0.ubigeo.hasPrefix(chosen.code) } } ?? atlas.districts
        let counted = try await actions.countByDistrict(subject, by: try context.signedIn())
        let place = department?.name ?? words("indicators.peru")
        let shaded = shown.filter { (counted[$0.ubigeo] ?? 0) > 0 }
        let total = shaded.reduce(0) { $0 + (counted[$1.ubigeo] ?? 0) }
        let legend = PeruMap.Legend(
            title: words("map.title.\(subject.rawValue)", ["place": place]),
            summary: words("map.summary", ["districts": "\(shaded.count)", "total": "\(total)"]),
            bucketNames: ["1", "2–4", "5–14", "15+"])
        let svg = PeruMap.svg(
            districts: shown, all: department.map { _ in shown } ?? atlas.districts, counts: counted, legend: legend,
            name: { district, count in "\(district.district) (\(district.province)): \(count)" },
            link: { ubigeo in
                subject == .providers
                    ? "/staff/providers?department=\(ubigeo.prefix(2))&province=\(ubigeo.prefix(4))&place=\(ubigeo)&status=any"
                    : "/staff/indicators?department=\(ubigeo.prefix(2))&district=\(ubigeo)"
            })
        let view = MapView(
            svg: svg,
            subjects: DistrictCounts.Subject.allCases.map {
                Choice(code: $0.rawValue, name: words("map.what.\($0.rawValue)"), checked: $0 == subject)
            },
            departments: atlas.departments.map { Choice(code: $0.code, name: $0.name, checked: $0.code == department?.code) },
            top: shaded.sorted { (counted[$0.ubigeo] ?? 0, $1.ubigeo) > (counted[$1.ubigeo] ?? 0, $0.ubigeo) }.prefix(10).map {
                MapView.Place(name: "\($0.district), \($0.province)", count: counted[$0.ubigeo] ?? 0)
            })
        return try kit.render(.staffMap, view, context: context)
    }
}

/// The indicators as a page shows them: each figure with its definition, and charts drawn
/// from the same numbers.
enum IndicatorCharts {
    static func charts(_ figures: Indicators, _ words: PageWords) -> [ChartView] {
        func chart(_ id: String, _ bars: [SVGChart.Bar], _ definition: String) -> ChartView {
            let title = words("indicators.chart.\(id)")
            return ChartView(
                title: title, svg: SVGChart.bars(id: id, title: title, bars), definition: words("indicators.def.\(definition)"))
        }
        func counts(_ list: [Indicators.Count], _ name: (String) -> String) -> [SVGChart.Bar] {
            list.map { SVGChart.Bar(label: name($0.key), value: Double($0.count), text: "\($0.count)") }
        }
        func amounts(_ list: [Indicators.Amount], _ name: (String) -> String) -> [SVGChart.Bar] {
            list.map {
                SVGChart.Bar(label: name($0.key), value: Double($0.contracts), text: "\($0.contracts) · \(words.money($0.amountCents))")
            }
        }
        let money = figures.funding.flatMap { line in
            [
                SVGChart.Bar(
                    label: words("funding.\(line.kind.rawValue)"), value: Double(line.fundedCents), text: words.money(line.fundedCents)),
                SVGChart.Bar(label: words("indicators.paid"), value: Double(line.paidCents), text: words.money(line.paidCents)),
            ]
        }
        return [
            chart("kind", counts(figures.talentsRegisteredByKind) { words("kind.\($0)") }, "talents"),
            chart("gender", counts(figures.talentsRegisteredByGender) { words("gender.\($0)") }, "talents"),
            chart("contracted_gender", counts(figures.talentsContractedByGender) { words("gender.\($0)") }, "contracted"),
            chart("funding", money, "funding"),
            chart("status", amounts(figures.contractsByStatus) { words("status.contract.\($0)") }, "contracts"),
            chart("buyer", amounts(figures.contractsByBuyerKind) { words("buyer.\($0)") }, "contracts"),
            chart("requests", counts(figures.requestsByStatus) { words("status.request.\($0)") }, "requests"),
        ]
    }

    static func rows(_ figures: Indicators, _ words: PageWords) -> [Figure] {
        func share(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
        func number(_ value: Double?, _ format: String = "%.2f") -> String { value.map { String(format: format, $0) } ?? "—" }
        return [
            ("talents_registered", "\(figures.talentsRegistered)", "talents"),
            ("talents_contracted", "\(figures.talentsContracted)", "contracted"),
            ("leverage", number(figures.counterpartLeverage), "leverage"), ("average_rating", number(figures.averageRating), "rating"),
            ("ratings", "\(figures.ratings)", "rating"), ("median_days", number(figures.medianDaysToContract, "%.1f"), "days"),
            ("hired_again", share(figures.hiredAgainShare), "again"), ("families", "\(figures.familiesServed)", "families"),
            ("per_family", figures.amountPerFamilyCents.map(words.money) ?? "—", "families"),
        ].map { key, value, definition in
            Figure(name: words("indicators.\(key)"), value: value, definition: words("indicators.def.\(definition)"))
        }
    }
}
