import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// Staff's pages: the charts and the map are well-formed SVG whose marks are the reports'
/// figures (nothing counted twice or differently), reviews go through the API's rules, and
/// only staff see any of it.
@Suite struct StaffPageTests {
    /// The SVGs of a page, parsed: for each, the classes of its elements and its texts.
    struct Drawing {
        var classes: [String] = []
        var texts: [String] = []
        var title = ""

        func count(_ kind: String) -> Int { classes.filter { $0 == kind }.count }
    }

    final class SVGReader: NSObject, XMLParserDelegate {
        var drawing = Drawing()
        private var inText = false, inTitle = false, text = ""

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if let kind = attributes["class"] { drawing.classes.append(kind) }
            inText = name == "text"
            inTitle = name == "title" && drawing.title.isEmpty
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", inText { drawing.texts.append(text) }
            if name == "title", inTitle { drawing.title = text }
            inText = false
            inTitle = false
        }
    }

    /// Every `<svg>` of the page, each parsed as XML on its own (a parse error fails the test).
    static func drawings(in page: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Drawing] {
        Browser.all("(<svg[\\s\\S]*?</svg>)", in: page).map { svg in
            let parser = XMLParser(data: Data(svg.utf8)), reader = SVGReader()
            parser.delegate = reader
            #expect(
                parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "") \(svg.prefix(200))",
                sourceLocation: sourceLocation)
            return reader.drawing
        }
    }

    @Test func theScorecardChartsDrawTheReportsFigures() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let report = try await client.send(.get, "/v1/reports/providers/\(world.publishedProvider.id)", token: world.tokens[.staff])
                .object()
            var browser = Browser(client, language: "es", session: world.tokens[.staff])
            #expect(try await browser.get("/staff/providers/\(world.publishedProvider.id)").status == .ok)
            let drawings = Self.drawings(in: browser.page)
            #expect(drawings.count == 2)
            let dimensions = try #require(drawings.first)
            #expect(dimensions.count("bar") == 4)
            let expected = try #require((report["ratings"] as? [String: Any])?["dimensions"] as? [String: Double])
            let figures = ["technical", "communication", "punctuality", "results"].map {
                expected[$0].map { String(format: "%.2f", $0) } ?? "—"
            }
            #expect(dimensions.texts.filter { $0.first?.isNumber == true || $0 == "—" } == figures)
            let years = try #require(drawings.last)
            let byYear = (report["ratings_by_year"] as? [[String: Any]]) ?? []
            #expect(years.count("point") == byYear.count)
            for year in byYear {
                let average = try #require(year["average"] as? Double), count = try #require(year["count"] as? Int)
                #expect(years.texts.contains(String(format: "%.2f (%d)", average, count)))
            }
        }
    }

    @Test func theIndicatorChartsDrawTheReportsFigures() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let report = try await client.send(.get, "/v1/reports/indicators?department=Cusco", token: world.tokens[.staff]).object()
            var browser = Browser(client, language: "qu", session: world.tokens[.staff])
            #expect(try await browser.get("/staff/indicators?department=08").status == .ok)
            let drawings = Self.drawings(in: browser.page)
            #expect(drawings.count == 7)
            func counts(_ key: String) -> [Int] { ((report[key] as? [[String: Any]]) ?? []).compactMap { $0["count"] as? Int } }
            let kinds = drawings[0]
            #expect(kinds.count("bar") == counts("talents_registered_by_kind").count)
            #expect(kinds.texts.compactMap(Int.init) == counts("talents_registered_by_kind"))
            #expect(drawings[1].texts.compactMap(Int.init) == counts("talents_registered_by_gender"))
            let funding = (report["funding"] as? [[String: Any]]) ?? []
            #expect(drawings[3].count("bar") == 2 * funding.count)
            let statuses = (report["contracts_by_status"] as? [[String: Any]]) ?? []
            #expect(drawings[4].count("bar") == statuses.count)
            #expect(
                drawings[4].texts.filter { $0.contains("·") }.map { $0.prefix { $0 != " " } }
                    == statuses.map { "\($0["contracts"] ?? "")"[...] })
            #expect(drawings[6].texts.compactMap(Int.init) == counts("requests_by_status"))
            // The CSV download is the API's.
            let csv = try await browser.get("/staff/indicators.csv?department=08")
            let api = try await client.send(.get, "/v1/reports/indicators.csv?department=Cusco", token: world.tokens[.staff])
            #expect(csv.status == .ok && String(buffer: csv.body) == String(buffer: api.body))
        }
    }

    @Test func theMapShadesEachDistrictThatHasSomething() async throws {
        let world = try await World.make()
        let withTalents = try await world.count("SELECT count(DISTINCT home_ubigeo)::int FROM providers WHERE status = 'active'")
        let withContracts = try await world.count(
            "SELECT count(DISTINCT ubigeo)::int FROM contracts WHERE status IN ('signed', 'active', 'completed', 'terminated')")
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "en", session: world.tokens[.staff])
            for (uri, shaded) in [("/staff/map", withTalents), ("/staff/map?what=contracts", withContracts)] {
                #expect(try await browser.get(uri).status == .ok)
                let map = try #require(Self.drawings(in: browser.page).first)
                #expect(map.classes.filter { $0.hasPrefix("shade-") }.count == shaded, "\(uri)")
                #expect(map.count("department") == 25)
                #expect(map.classes.filter { $0.hasPrefix("legend-") }.count == 4)
                #expect(!map.title.isEmpty)
            }
            // One department: only its districts, its outline.
            #expect(try await browser.get("/staff/map?department=08").status == .ok)
            let cusco = try #require(Self.drawings(in: browser.page).first)
            #expect(cusco.count("department") == 1)
            #expect(browser.page.contains(#"<a href="/staff/providers?department=08&amp;province=08"#))
        }
    }

    @Test func theDirectoryFiltersAsTheAPIDoes() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.staff])
            for (page, api) in [
                ("/staff/providers?status=any", "/v1/providers?status=any&limit=50"),
                ("/staff/providers?department=08&status=any", "/v1/providers?place=08&status=any&limit=50"),
                ("/staff/providers?language=que&level=3&status=any", "/v1/providers?language=que&min_speaking=3&status=any&limit=50"),
                ("/staff/providers?certified=no&sort=newest&status=any", "/v1/providers?certified=false&sort=newest&status=any&limit=50"),
            ] {
                #expect(try await browser.get(page).status == .ok)
                let shown = Browser.all(#"href="/staff/providers/([0-9a-f-]+)""#, in: browser.page)
                let listed = try await client.send(.get, api, token: world.tokens[.staff]).items().compactMap { $0["id"] as? String }
                #expect(shown == listed, "\(page)")
            }
        }
    }

    @Test func reviewsFollowTheAPIsRules() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let form: [(String, String)] = [
                ("period_from", "2026-01-01"), ("period_to", "2026-06-30"), ("summary", "Needs more practice with the sprinklers"),
            ]
            var staff = Browser(client, language: "en", session: world.tokens[.staff])
            let path = "/staff/providers/\(world.publishedProvider.id)"
            try await staff.get(path)
            #expect(try await staff.post("\(path)/reviews", form + [("decision", "needs_training")]).status == .unprocessableContent)
            #expect(try staff.shows("error.field.training", in: "en"))
            #expect(
                try await staff.post("\(path)/reviews", form + [("decision", "needs_training"), ("training", "Riego I")]).status
                    == .seeOther)
            try await staff.get(path)
            #expect(try await staff.post("\(path)/reviews", form + [("decision", "suspend"), ("reason", "x")]).status == .forbidden)
            var admin = Browser(client, language: "en", session: world.tokens[.admin])
            try await admin.get(path)
            #expect(
                try await admin.post("\(path)/reviews", form + [("decision", "suspend"), ("reason", "Absent 20 days")]).status == .seeOther)
            let reviews = try await client.send(.get, "/v1/providers/\(world.publishedProvider.id)/reviews", token: world.tokens[.staff])
                .items()
            #expect(reviews.compactMap { $0["decision"] as? String }.sorted() == ["needs_training", "suspend"])
        }
    }
}

/// A technician nobody rated yet: the scorecard says so in a sentence instead of drawing two
/// empty charts.
@Suite struct UnratedScorecardTests {
    @Test func anUnratedTechnicianGetsASentenceNotEmptyCharts() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let id = world.unpublishedProvider.id
            let report = try await client.send(.get, "/v1/reports/providers/\(id)", token: world.tokens[.staff]).object()
            #expect((report["ratings"] as? [String: Any])?["count"] as? Int == 0)
            var browser = Browser(client, language: "es", session: world.tokens[.staff])
            #expect(try await browser.get("/staff/providers/\(id)").status == .ok)
            #expect(StaffPageTests.drawings(in: browser.page).isEmpty)
            #expect(browser.page.contains("Sin calificaciones todavía."))
        }
    }
}
