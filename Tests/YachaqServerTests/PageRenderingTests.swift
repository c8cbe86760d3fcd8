import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import YachaqServer
import YachaqTestSupport

/// Every page in every language: complete (no missing text), in the reader's language (no
/// English on a Quechua page), and light (≤ 30 KB with the stylesheet, as sent gzipped).
@Suite struct PageRenderingTests {
    static let languages = ["es", "qu", "en"]

    @Test func theTablesAgreeAndCoverEveryTemplate() throws {
        let tables = try Dictionary(uniqueKeysWithValues: Self.languages.map { ($0, try PageSources.table($0)) })
        let spanish = Set(try #require(tables["es"]).keys)
        for language in Self.languages { #expect(Set(tables[language]?.keys ?? [:].keys) == spanish, "keys of \(language)") }
        // Templates read the texts as a tree (`t.a.b`): a key that is also the start of another
        // (`a.b` beside `a.b.c`) would be one or the other there, by chance.
        for key in spanish { #expect(!spanish.contains { $0.hasPrefix(key + ".") }, "\(key) is a text and the start of others") }
        for (name, template) in try PageSources.templates() {
            for key in Browser.all(#"\{\{[#^/]?t\.([a-z_.]+)\}\}"#, in: template) {
                #expect(spanish.contains(key), "\(name) uses t.\(key), which no table has")
            }
        }
    }

    /// A text key without its line shows `⟦key⟧`; every page's template is a file and every
    /// file a page's template or a part of one. Both are caught here, before any request.
    @Test func everyTemplateAndTextTheCodeNamesExists() throws {
        let sources = try PageSources.templates()
        let templates = Set(sources.keys.map { String($0.dropLast(".mustache".count)) })
        let partials = Set(sources.values.flatMap { Browser.all(#"\{\{[<>] *([a-z-]+)"#, in: $0) })
        for page in PageTemplate.allCases { #expect(templates.contains(page.rawValue), "\(page) has no template") }
        for template in templates {
            #expect(PageTemplate(rawValue: template) != nil || partials.contains(template), "\(template) is neither a page nor a part")
        }
        let spanish = try PageSources.table("es")
        let folder = PageSources.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Web")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5, "the page code is in \(folder.path)")
        var named = 0
        for file in files {
            let code = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for key in Browser.all(#"(?:words|self|kit\.text)\("([a-z_.]+)""#, in: code) {
                named += 1
                #expect(spanish[key] != nil, "\(file) says \(key), which no table has")
            }
            // A banner after a write: `done: "key"`, or a step's own (`contract_\(status)`).
            for key in Browser.all(#"done: "([a-z_]+)""#, in: code) {
                named += 1
                #expect(spanish["done.\(key)"] != nil, "\(file) is done with \(key), which no table says")
            }
        }
        for status in ["signed", "active", "completed", "terminated", "cancelled"] { #expect(spanish["done.contract_\(status)"] != nil) }
        for status in ["shortlisted", "interviewed", "selected", "rejected", "withdrawn"] {
            #expect(spanish["done.application_\(status)"] != nil)
        }
        #expect(named > 40)
    }

    @Test(arguments: languages) func everyPageRendersWhole(language: String) async throws {
        let world = try await World.make()
        let english = try PageSources.table("en"), own = try PageSources.table(language)
        // English texts that a Quechua or Spanish page must not show: phrases of two words or
        // more, so that data (a login like "municipality-user", a name) is not taken for one.
        let foreign =
            language == "en"
            ? []
            : english.filter { key, text in
                text.count >= 12 && text.contains(" ") && !(own[key] ?? "").contains(text)
            }.map(\.value)
        try await withApp(on: world.endpoint) { client in
            let payment = try await client.send(
                .post, "/v1/contracts/\(world.contractA.id)/payments", token: world.tokens[.community],
                json: """
                    {"amount_cents":50000,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\(world.communityA.id)"}
                    """
            ).object()
            let paymentID = try #require(payment["id"] as? String)
            let css = try await client.execute(uri: "/static/yachaq.css", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(css.headers[.cacheControl] == "public, max-age=86400")
            let community: [(String, HTTPResponse.Status)] = [
                ("/", .ok), ("/talents", .ok), ("/talents?place=cusco&skill=camelids.fibre&language=que", .ok),
                ("/talents/\(world.publishedProvider.id)", .ok), ("/sign-in", .ok), ("/home", .ok), ("/new-request", .ok),
                ("/requests/\(world.requestA.id)", .ok), ("/requests/\(world.requestA.id)/radio", .ok),
                ("/contracts/\(world.contractA.id)", .ok), ("/contracts/\(world.contractA.id)/print", .ok),
                ("/contracts/\(world.contractA.id)/payments/\(paymentID)/receipt", .ok), ("/contracts/\(world.completedA.id)", .ok),
                ("/requests/\(world.requestB.id)", .forbidden), ("/contracts/\(world.contractB.id)", .notFound),
            ]
            var buyer = Browser(client, language: language, session: world.tokens[.community])
            for (uri, status) in community { try await Self.check(uri, status, with: &buyer, css: css.body.readableBytes, foreign) }
            _ = try await client.send(
                .patch, "/v1/applications/\(world.applicationA.id)", token: world.tokens[.community], json: #"{"status":"selected"}"#)
            try await Self.check(
                "/requests/\(world.requestA.id)/contract?application=\(world.applicationA.id)", .ok, with: &buyer,
                css: css.body.readableBytes, foreign)
            // Staff's pages, charts and map included, may weigh up to 60 KB.
            var staff = Browser(client, language: language, session: world.tokens[.staff])
            for uri in [
                "/home", "/staff/providers?department=08&language=que&level=2&status=any", "/staff/providers/\(world.publishedProvider.id)",
                "/staff/needs-look", "/staff/indicators?department=08", "/staff/indicators", "/staff/map",
                "/staff/map?what=contracts&department=08", "/staff/organizations", "/staff/organizations/\(world.communityA.id)",
                "/staff/users",
            ] {
                try await Self.check(uri, .ok, with: &staff, css: css.body.readableBytes, foreign, limit: 60 * 1024)
            }
            var technician = Browser(client, language: language, session: world.tokens[.provider])
            for uri in ["/home", "/opportunities", "/profile/edit", "/requests/\(world.requestB.id)", "/talents/\(world.ownProvider.id)"] {
                try await Self.check(uri, .ok, with: &technician, css: css.body.readableBytes, foreign)
            }
        }
    }

    static func check(
        _ uri: String, _ status: HTTPResponse.Status, with browser: inout Browser, css: Int, _ foreign: [String],
        limit: Int = 30 * 1024, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let sent = try await browser.get(uri, headers: [.acceptEncoding: "gzip"]).body.readableBytes
        let response = try await browser.get(uri)
        let page = browser.page, language = browser.language ?? "es"
        // Figures first, then expectations: a failure names the page, not its whole HTML.
        let marked = page.contains(#"<html lang="\#(language)">"#), missing = Browser.all("⟦([^⟧]+)⟧", in: page)
        let leaks = foreign.filter { page.contains(Browser.escaped($0)) }, scripted = page.contains("<script")
        #expect(response.status == status, "\(uri): \(response.status)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "text/html; charset=utf-8", sourceLocation: sourceLocation)
        #expect(marked, "\(uri) is not marked \(language)", sourceLocation: sourceLocation)
        #expect(missing.isEmpty, "\(uri) misses \(missing) in \(language)", sourceLocation: sourceLocation)
        #expect(leaks.isEmpty, "\(uri) in \(language) shows English: \(leaks)", sourceLocation: sourceLocation)
        #expect(sent + css <= limit, "\(uri) weighs \(sent) + \(css) bytes", sourceLocation: sourceLocation)
        #expect(!scripted, "\(uri) has a script", sourceLocation: sourceLocation)
    }
}
