import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// role × page × own/other for the web pages, as `AccessMatrixTests` is for the API: every
/// page route has a row, and a page shows or refuses what the API would (a 403 page for
/// another buyer's request, 404 for a contract the reader may not see, sign-in first — a 303
/// — for anonymous readers). Writes carry their CSRF token; a refused write writes nothing.
@Suite struct PageAccessTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let method: HTTPRequest.Method
        let route: String
        let path: @Sendable (World) -> String
        var fields: @Sendable (World, Caller) -> [(String, String)] = { _, _ in [] }
        let expected: [Caller: HTTPResponse.Status]
        /// Writes that succeed for some callers get a new world for each caller.
        var isolated = false
        var testDescription: String { "\(method) \(route)" }
    }

    static func only(_ allowed: Set<Caller>, _ status: HTTPResponse.Status, otherwise: HTTPResponse.Status) -> [Caller: HTTPResponse.Status]
    {
        Dictionary(
            uniqueKeysWithValues: Caller.allCases.map { caller in
                (caller, caller == .anonymous ? .seeOther : allowed.contains(caller) ? status : otherwise)
            })
    }

    static func everyone(_ status: HTTPResponse.Status) -> [Caller: HTTPResponse.Status] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, status) })
    }

    static let buyersOfA: Set<Caller> = [.admin, .staff, .community]

    /// Staff's pages: a 403 page for every other signed-in role.
    static func staffOnly(_ status: HTTPResponse.Status) -> [Caller: HTTPResponse.Status] {
        only([.admin, .staff], status, otherwise: .forbidden)
    }

    static let rows: [Row] = [
        Row(method: .get, route: "/", path: { _ in "/" }, expected: everyone(.ok)),
        Row(method: .get, route: "/static/yachaq.css", path: { _ in "/static/yachaq.css" }, expected: everyone(.ok)),
        Row(method: .get, route: "/sign-in", path: { _ in "/sign-in" }, expected: everyone(.ok)),
        Row(method: .get, route: "/talents", path: { _ in "/talents?place=cusco" }, expected: everyone(.ok)),
        Row(method: .get, route: "/talents/{id}", path: { "/talents/\($0.publishedProvider.id)" }, expected: everyone(.ok)),
        Row(
            method: .get, route: "/talents/{id}", path: { "/talents/\($0.unpublishedProvider.id)" },
            expected: [
                .anonymous: .notFound, .admin: .ok, .staff: .ok, .municipality: .notFound, .community: .notFound, .provider: .notFound,
            ]
        ),
        Row(method: .get, route: "/home", path: { _ in "/home" }, expected: only(Set(Caller.allCases), .ok, otherwise: .ok)),
        // Each reader's own messages and contact: nothing to name another's by.
        Row(method: .get, route: "/messages", path: { _ in "/messages" }, expected: only(Set(Caller.allCases), .ok, otherwise: .ok)),
        Row(method: .get, route: "/contact", path: { _ in "/contact" }, expected: only(Set(Caller.allCases), .ok, otherwise: .ok)),
        Row(
            method: .post, route: "/contact", path: { _ in "/contact" },
            fields: { _, _ in [("mobile", "987 654 321"), ("sms", "yes"), ("message_language", "qu")] },
            expected: only(Set(Caller.allCases), .seeOther, otherwise: .seeOther), isolated: true),
        Row(
            method: .get, route: "/new-request", path: { _ in "/new-request" },
            expected: only([.community, .municipality], .ok, otherwise: .forbidden)),
        Row(
            method: .get, route: "/requests/{id}", path: { "/requests/\($0.requestA.id)" },
            expected: only(buyersOfA.union([.provider]), .ok, otherwise: .forbidden)),
        Row(
            method: .get, route: "/requests/{id}", path: { "/requests/\($0.requestB.id)" },
            expected: only([.admin, .staff, .provider], .ok, otherwise: .forbidden)),
        Row(
            method: .get, route: "/requests/{id}/edit", path: { "/requests/\($0.requestA.id)/edit" },
            expected: only(buyersOfA, .ok, otherwise: .forbidden)),
        Row(
            method: .get, route: "/requests/{id}/radio", path: { "/requests/\($0.requestA.id)/radio" },
            expected: only(buyersOfA.union([.provider]), .ok, otherwise: .forbidden)),
        Row(
            method: .get, route: "/requests/{id}/contract", path: { "/requests/\($0.requestA.id)/contract" },
            expected: only(buyersOfA, .unprocessableContent, otherwise: .forbidden)),
        Row(
            method: .get, route: "/contracts/{id}", path: { "/contracts/\($0.contractA.id)" },
            expected: only(buyersOfA, .ok, otherwise: .notFound)),
        Row(
            method: .get, route: "/contracts/{id}", path: { "/contracts/\($0.contractB.id)" },
            expected: only([.admin, .staff, .provider], .ok, otherwise: .notFound)),
        Row(
            method: .get, route: "/contracts/{id}/print", path: { "/contracts/\($0.contractA.id)/print" },
            expected: only(buyersOfA, .ok, otherwise: .notFound)),
        Row(
            method: .get, route: "/contracts/{id}/payments/{payment}/receipt",
            path: { "/contracts/\($0.contractA.id)/payments/\(UUID())/receipt" }, expected: only([], .ok, otherwise: .notFound)),
        Row(
            method: .get, route: "/opportunities", path: { _ in "/opportunities" },
            expected: only([.provider], .ok, otherwise: .forbidden)),
        Row(method: .get, route: "/profile/edit", path: { _ in "/profile/edit" }, expected: only([.provider], .ok, otherwise: .forbidden)),

        Row(method: .get, route: "/staff/providers", path: { _ in "/staff/providers" }, expected: staffOnly(.ok)),
        Row(
            method: .get, route: "/staff/providers/{id}", path: { "/staff/providers/\($0.publishedProvider.id)" },
            expected: staffOnly(.ok)),
        Row(method: .get, route: "/staff/needs-look", path: { _ in "/staff/needs-look" }, expected: staffOnly(.ok)),
        Row(method: .get, route: "/staff/indicators", path: { _ in "/staff/indicators?department=08" }, expected: staffOnly(.ok)),
        Row(method: .get, route: "/staff/indicators.csv", path: { _ in "/staff/indicators.csv" }, expected: staffOnly(.ok)),
        Row(method: .get, route: "/staff/map", path: { _ in "/staff/map?what=requests" }, expected: staffOnly(.ok)),
        Row(method: .get, route: "/staff/exports/providers.csv", path: { _ in "/staff/exports/providers.csv" }, expected: staffOnly(.ok)),
        Row(method: .get, route: "/staff/exports/ocds.json", path: { _ in "/staff/exports/ocds.json" }, expected: staffOnly(.ok)),
        Row(
            method: .post, route: "/staff/providers/{id}/reviews", path: { "/staff/providers/\($0.publishedProvider.id)/reviews" },
            fields: { _, _ in
                [("period_from", "2026-01-01"), ("period_to", "2026-06-30"), ("summary", "Bien"), ("decision", "keep")]
            }, expected: staffOnly(.seeOther), isolated: true),
        Row(method: .get, route: "/staff/organizations", path: { _ in "/staff/organizations?q=comunidad" }, expected: staffOnly(.ok)),
        Row(
            method: .get, route: "/staff/organizations/{id}", path: { "/staff/organizations/\($0.communityA.id)" }, expected: staffOnly(.ok)
        ),
        Row(method: .get, route: "/staff/users", path: { _ in "/staff/users" }, expected: staffOnly(.ok)),
        Row(
            method: .post, route: "/staff/organizations", path: { _ in "/staff/organizations" },
            fields: { _, caller in [("name", "Asociación \(caller.rawValue)"), ("kind", "association"), ("ubigeo", "081206")] },
            expected: staffOnly(.seeOther)),
        Row(
            method: .post, route: "/staff/organizations/{id}", path: { "/staff/organizations/\($0.communityA.id)" },
            fields: { _, _ in [("name", "Comunidad Campesina Chillihuani"), ("ubigeo", "081206")] }, expected: staffOnly(.seeOther)),
        Row(
            method: .post, route: "/staff/organizations/{id}/disabled", path: { "/staff/organizations/\($0.communityB.id)/disabled" },
            fields: { _, _ in [("disabled", "no")] }, expected: staffOnly(.seeOther)),
        Row(
            method: .post, route: "/staff/organizations/{id}/users", path: { "/staff/organizations/\($0.communityB.id)/users" },
            fields: { _, caller in [("login", "b-\(caller.rawValue)"), ("role", "community")] }, expected: staffOnly(.ok)),
        Row(
            method: .post, route: "/staff/users", path: { _ in "/staff/users" },
            fields: { _, caller in [("login", "admin-\(caller.rawValue)")] },
            expected: only([.admin], .ok, otherwise: .forbidden)),
        Row(
            method: .post, route: "/staff/users/{id}/disabled", path: { "/staff/users/\($0.users[.municipality]?.id ?? UUID())/disabled" },
            fields: { _, _ in [("disabled", "no")] }, expected: staffOnly(.seeOther)),
        Row(
            method: .post, route: "/staff/users/{id}/password", path: { "/staff/users/\($0.users[.municipality]?.id ?? UUID())/password" },
            expected: staffOnly(.ok), isolated: true),
        Row(
            method: .post, route: "/sign-in", path: { _ in "/sign-in" }, fields: { _, _ in [("login", "nobody-here"), ("password", "x")] },
            expected: everyone(.unauthorized)),
        Row(method: .post, route: "/sign-out", path: { _ in "/sign-out" }, expected: everyone(.seeOther), isolated: true),
        Row(
            method: .post, route: "/language", path: { _ in "/language" }, fields: { _, _ in [("language", "en")] },
            expected: everyone(.seeOther)),
        Row(
            method: .post, route: "/new-request", path: { _ in "/new-request" }, fields: { _, _ in [("title", "X"), ("action", "post")] },
            expected: only([.community, .municipality], .unprocessableContent, otherwise: .forbidden)),
        Row(
            method: .post, route: "/requests/{id}/invite", path: { "/requests/\($0.requestA.id)/invite" },
            // The published technician applied already: buyers reach the store, which refuses a second one.
            fields: { world, _ in [("provider_id", world.publishedProvider.id.uuidString)] },
            expected: only(buyersOfA, .conflict, otherwise: .forbidden)),
        Row(
            method: .post, route: "/requests/{id}/apply", path: { "/requests/\($0.requestA.id)/apply" },
            expected: only([.provider], .seeOther, otherwise: .forbidden), isolated: true),
        Row(
            method: .post, route: "/requests/{id}/edit", path: { "/requests/\($0.requestA.id)/edit" },
            fields: { _, _ in
                [
                    ("title", "Esquila y clasificación"), ("skill", "camelids.fibre"), ("language", "que"), ("district", "081206"),
                    ("starts_on", "2027-03-01"), ("ends_on", "2027-04-30"), ("budget", "6000"),
                ]
            }, expected: only(buyersOfA, .seeOther, otherwise: .forbidden), isolated: true),
        Row(
            method: .post, route: "/requests/{id}/transitions", path: { "/requests/\($0.requestA.id)/transitions" },
            fields: { _, _ in [("to", "closed"), ("confirmed", "yes")] }, expected: only(buyersOfA, .seeOther, otherwise: .forbidden),
            isolated: true),
        Row(
            method: .post, route: "/applications/{id}", path: { "/applications/\($0.applicationA.id)" },
            // Neither its buyer nor its technician: there is no such application, as the API says.
            fields: { _, _ in [("status", "selected"), ("confirmed", "yes")] }, expected: only(buyersOfA, .seeOther, otherwise: .notFound),
            isolated: true),
        Row(
            method: .post, route: "/requests/{id}/contract", path: { "/requests/\($0.requestA.id)/contract" },
            expected: only(buyersOfA, .unprocessableContent, otherwise: .forbidden)),
        Row(
            method: .post, route: "/contracts/{id}/transitions", path: { "/contracts/\($0.contractA.id)/transitions" },
            fields: { _, _ in [("to", "active"), ("confirmed", "yes")] }, expected: only(buyersOfA, .seeOther, otherwise: .notFound),
            isolated: true),
        Row(
            method: .post, route: "/contracts/{id}/milestones/{milestone}",
            path: { "/contracts/\($0.contractA.id)/milestones/\($0.contractA.milestones[0].id)" },
            fields: { _, _ in [("status", "met"), ("on", "2027-05-30")] }, expected: only(buyersOfA, .seeOther, otherwise: .notFound),
            isolated: true),
        Row(
            method: .post, route: "/contracts/{id}/payments", path: { "/contracts/\($0.contractA.id)/payments" },
            fields: { world, _ in
                [
                    ("line", "\(world.agency.id.uuidString.lowercased())|public_transfer"), ("amount", "100"), ("paid_on", "2027-05-02"),
                    ("method", "bank_transfer"), ("confirmed", "yes"),
                ]
            }, expected: only(buyersOfA, .seeOther, otherwise: .notFound), isolated: true),
        Row(
            method: .post, route: "/contracts/{id}/rating", path: { "/contracts/\($0.completedA.id)/rating" },
            fields: { _, _ in [("technical", "5"), ("communication", "5"), ("punctuality", "5"), ("results", "5")] },
            expected: [
                .anonymous: .seeOther, .admin: .forbidden, .staff: .forbidden, .municipality: .notFound, .community: .unprocessableContent,
                .provider: .notFound,
            ]),
        // Only the invited technician answers, and the provider user's own application was no invitation.
        Row(
            method: .post, route: "/applications/{id}/answer", path: { "/applications/\($0.ownApplication.id)/answer" },
            fields: { _, _ in [("answer", "accepted")] },
            expected: [
                .anonymous: .seeOther, .admin: .notFound, .staff: .notFound, .municipality: .notFound, .community: .notFound,
                .provider: .conflict,
            ]),
        Row(
            method: .post, route: "/reviews/{id}/answer", path: { "/reviews/\($0.reviewOfOwn.id)/answer" },
            fields: { _, _ in [("text", "Gracias")] },
            expected: [
                .anonymous: .seeOther, .admin: .forbidden, .staff: .forbidden, .municipality: .notFound, .community: .notFound,
                .provider: .seeOther,
            ],
            isolated: true),
        Row(
            method: .post, route: "/profile/edit", path: { _ in "/profile/edit" },
            fields: { _, _ in
                [
                    ("full_name", "Sabina Ccama Huillca"), ("rate", "90"), ("radius", "50"), ("language_0", "quz"), ("speaking_0", "4"),
                    ("understanding_0", "4"), ("reading_0", "2"), ("writing_0", "2"), ("skill_0", "camelids.fibre"), ("skill_level_0", "3"),
                    ("years_0", "5"),
                ]
            }, expected: only([.provider], .seeOther, otherwise: .forbidden), isolated: true),
    ]

    @Test(arguments: rows)
    func statusFor(_ row: Row) async throws {
        let shared = row.isolated ? nil : try await World.make()
        for caller in Caller.allCases {
            let world = if let shared { shared } else { try await World.make() }
            let (status, audited) = try await withApp(on: world.endpoint) { client in
                var browser = Browser(client, session: try await world.freshToken(caller))
                try await browser.get("/")
                let before = try await world.count("SELECT count(*)::int FROM audit_log")
                let response =
                    row.method == .get
                    ? try await browser.get(row.path(world)) : try await browser.post(row.path(world), row.fields(world, caller))
                return (response.status, try await world.count("SELECT count(*)::int FROM audit_log") - before)
            }
            #expect(status == row.expected[caller], "\(caller) \(row.testDescription): \(status)")
            // A refused write writes nothing, not even an audit row; a signed-in write that went
            // through (a redirect, or a page showing a new password) leaves one at least.
            if row.method == .post, status.code >= 400 {
                #expect(audited == 0, "\(caller) \(row.testDescription) wrote \(audited) audit rows")
            } else if row.method == .post, caller != .anonymous {
                #expect(audited >= 1, "\(caller) \(row.testDescription) left no audit row")
            }
        }
    }

    @Test func everyPageRouteHasRows() async throws {
        let router = buildRouter(
            database: TestDatabase.makeClient(try await TestDatabase.fresh()), reference: try await TestDatabase.reference(),
            logger: TestDatabase.logger)
        let pages = Set(router.routes.map { "\($0.method) \($0.path)" }.filter(PageSources.isPage))
        #expect(pages == Set(Self.rows.map { "\($0.method) \($0.route)" }))
    }
}
