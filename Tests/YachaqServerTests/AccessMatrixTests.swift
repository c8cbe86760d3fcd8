import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// Every role × every endpoint × own versus another organisation's record → the status.
/// Every route the router serves must have at least one row here.
@Suite struct AccessMatrixTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let method: HTTPRequest.Method
        /// The route as the router names it, e.g. /v1/organizations/{id}.
        let route: String
        /// Which record of the world, for routes with an id ("own", "other", ...).
        let variant: String
        let path: @Sendable (World) -> String
        let body: (@Sendable (World, Caller) -> String)?
        /// Spends the caller's token (sign-out): use a fresh one.
        let spendsToken: Bool
        /// Changes what the next caller would find (a second application, a second
        /// shortlisting): each caller gets a world of its own.
        let isolated: Bool
        let expected: [Caller: HTTPResponse.Status]

        var testDescription: String { "\(method) \(route) \(variant)" }

        init(
            _ method: HTTPRequest.Method, _ route: String, variant: String = "", path: (@Sendable (World) -> String)? = nil,
            body: (@Sendable (World, Caller) -> String)? = nil, spendsToken: Bool = false, isolated: Bool = false,
            _ expected: [Caller: HTTPResponse.Status]
        ) {
            self.method = method
            self.route = route
            self.variant = variant
            self.path = path ?? { _ in route }
            self.body = body
            self.spendsToken = spendsToken
            self.isolated = isolated
            self.expected = expected
        }
    }

    /// Everyone gets `status`.
    static func all(_ status: HTTPResponse.Status) -> [Caller: HTTPResponse.Status] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, status) })
    }

    /// Anonymous 401, the listed callers `status`, the rest 403.
    static func only(_ allowed: Set<Caller>, _ status: HTTPResponse.Status = .ok) -> [Caller: HTTPResponse.Status] {
        Dictionary(
            uniqueKeysWithValues: Caller.allCases.map { caller in
                (caller, caller == .anonymous ? .unauthorized : allowed.contains(caller) ? status : .forbidden)
            })
    }

    static let rows: [Row] = [
        Row(.get, "/health", all(.ok)),
        Row(.get, "/health/live", all(.ok)),
        Row(.get, "/openapi.yaml", all(.ok)),
        Row(.get, "/metrics", all(.ok)),
        Row(.get, "/v1/districts", all(.ok)),
        Row(.get, "/v1/districts/{ubigeo}", path: { _ in "/v1/districts/080101" }, all(.ok)),
        Row(.get, "/v1/languages", all(.ok)),
        Row(.get, "/v1/skills", all(.ok)),
        Row(.post, "/v1/auth/login", body: { _, _ in #"{"login":"admin-user","password":"\#(World.password)"}"# }, all(.ok)),
        Row(.post, "/v1/auth/logout", spendsToken: true, only(Set(Caller.allCases), .noContent)),
        Row(.get, "/v1/organizations", only([.admin, .staff])),
        Row(
            .post, "/v1/organizations",
            body: { _, caller in #"{"name":"Asociación \#(caller.rawValue)","kind":"association","ubigeo":"050101"}"# },
            only([.admin, .staff], .created)),
        Row(
            .get, "/v1/organizations/{id}", variant: "community A (the community user's own)",
            path: { "/v1/organizations/\($0.communityA.id)" }, only([.admin, .staff, .community])),
        Row(
            .get, "/v1/organizations/{id}", variant: "community B (another community)", path: { "/v1/organizations/\($0.communityB.id)" },
            only([.admin, .staff])),
        Row(
            .get, "/v1/organizations/{id}", variant: "the municipality (the municipality user's own)",
            path: { "/v1/organizations/\($0.municipality.id)" }, only([.admin, .staff, .municipality])),
        Row(
            .get, "/v1/organizations/{id}", variant: "an unknown id", path: { _ in "/v1/organizations/\(UUID())" },
            only([.admin, .staff], .notFound)),
        Row(
            .post, "/v1/users", variant: "a community user of community A",
            body: { world, caller in
                #"{"login":"new-\#(caller.rawValue)","password":"a long password","role":"community","#
                    + #""organization_id":"\#(world.communityA.id)"}"#
            }, only([.admin, .staff], .created)),
        Row(
            .post, "/v1/users", variant: "an admin",
            body: { _, caller in #"{"login":"root-\#(caller.rawValue)","password":"a long password","role":"admin"}"# },
            only([.admin], .created)),
        Row(.get, "/v1/users/me", only(Set(Caller.allCases))),
        // Each caller's own settings and notifications: there is no way to name another's.
        Row(.get, "/v1/users/me/contact", only(Set(Caller.allCases))),
        Row(
            .put, "/v1/users/me/contact", body: { _, _ in #"{"phone":"+51 987 654 321","sms":true,"language":"qu"}"# },
            only(Set(Caller.allCases))),
        Row(.get, "/v1/notifications", only(Set(Caller.allCases))),
        // The SMS gateway's door knows no roles: only its secret (and address) let it in.
        Row(
            .post, "/v1/sms/inbound", variant: "without the secret", path: { _ in "/v1/sms/inbound?from=%2B51987654321&id=m1" },
            body: { _, _ in "PARAR" }, all(.forbidden)),
        Row(
            .post, "/v1/sms/inbound", variant: "from the gateway",
            path: { _ in "/v1/sms/inbound?from=%2B51987654321&id=m1&secret=\(gatewaySecret)" },
            body: { _, _ in "PARAR" }, all(.ok)),
        Row(.get, "/v1/sms/delivery", variant: "without the secret", path: { _ in "/v1/sms/delivery?id=1&type=1" }, all(.forbidden)),
        Row(
            .get, "/v1/sms/delivery", variant: "no such text", path: { _ in "/v1/sms/delivery?id=99&type=1&secret=\(gatewaySecret)" },
            all(.notFound)),
        Row(
            .post, "/v1/sms/delivery", variant: "no such text", path: { _ in "/v1/sms/delivery?id=99&type=8&secret=\(gatewaySecret)" },
            all(.notFound)),
        Row(.get, "/v1/sms/outbox", only([.admin, .staff])),
        Row(
            .post, "/v1/sms/outbox/{id}/retry", variant: "no such text", path: { _ in "/v1/sms/outbox/99/retry" },
            only([.admin, .staff], .notFound)),
        Row(.get, "/v1/audit", only([.admin, .staff])),
        Row(.get, "/v1/providers", all(.ok)),
        Row(
            .post, "/v1/providers", variant: "(the provider user has a profile already)",
            body: { _, caller in
                #"{"full_name":"Nuevo \#(caller.rawValue)","kind":"tecnico","gender":"male","home_ubigeo":"080101","#
                    + #""daily_rate_cents":9000,"travel_radius_km":30}"#
            }, only([.admin, .staff], .created)),
        Row(.get, "/v1/providers/{id}", variant: "published", path: { "/v1/providers/\($0.publishedProvider.id)" }, all(.ok)),
        Row(
            .get, "/v1/providers/{id}", variant: "unpublished, another's", path: { "/v1/providers/\($0.unpublishedProvider.id)" },
            hidden(from: [.admin, .staff])),
        Row(
            .get, "/v1/providers/{id}", variant: "unpublished, the provider user's own", path: { "/v1/providers/\($0.ownProvider.id)" },
            hidden(from: [.admin, .staff, .provider])),
        Row(
            .patch, "/v1/providers/{id}", variant: "the provider user's own", path: { "/v1/providers/\($0.ownProvider.id)" },
            body: { _, _ in #"{"daily_rate_cents":7500}"# }, only([.admin, .staff, .provider])),
        Row(
            .patch, "/v1/providers/{id}", variant: "another's", path: { "/v1/providers/\($0.publishedProvider.id)" },
            body: { _, _ in #"{"daily_rate_cents":7500}"# }, only([.admin, .staff])),
        Row(
            .post, "/v1/providers/{id}/certifications", path: { "/v1/providers/\($0.publishedProvider.id)/certifications" },
            body: { world, _ in #"{"skill":"camelids.fibre","certifier_organization_id":"\#(world.agency.id)","issued_on":"2025-05-01"}"# },
            only([.admin, .staff], .created)),
        Row(
            .get, "/v1/providers/{id}/lineage", variant: "published", path: { "/v1/providers/\($0.publishedProvider.id)/lineage" }, all(.ok)
        ),
        Row(
            .get, "/v1/providers/{id}/lineage", variant: "unpublished, another's",
            path: { "/v1/providers/\($0.unpublishedProvider.id)/lineage" }, hidden(from: [.admin, .staff])),
        Row(.get, "/v1/requests", all(.ok)),
        Row(
            .post, "/v1/requests", variant: "for community A",
            body: { world, _ in
                #"{"organization_id":"\#(world.communityA.id)","title":"Qochas para la comunidad","skills":["water.harvesting"],"#
                    + #""languages":["quz"],"ubigeo":"081206","starts_on":"2027-06-01","ends_on":"2027-07-31","budget_cents":600000}"#
            }, only([.admin, .staff, .community], .created)),
        Row(.get, "/v1/requests/{id}", path: { "/v1/requests/\($0.requestA.id)" }, all(.ok)),
        Row(
            .get, "/v1/requests/{id}/matches", variant: "community A's request", path: { "/v1/requests/\($0.requestA.id)/matches" },
            only([.admin, .staff, .community])),
        Row(
            .get, "/v1/requests/{id}/matches", variant: "community B's request", path: { "/v1/requests/\($0.requestB.id)/matches" },
            only([.admin, .staff])),
        Row(
            .patch, "/v1/requests/{id}", variant: "widen community A's request", path: { "/v1/requests/\($0.requestA.id)" },
            body: { _, _ in #"{"languages":["que"],"budget_cents":600000}"# }, only([.admin, .staff, .community])),
        Row(
            .patch, "/v1/requests/{id}", variant: "community B's request", path: { "/v1/requests/\($0.requestB.id)" },
            body: { _, _ in #"{"budget_cents":600000}"# }, only([.admin, .staff])),
        Row(
            .post, "/v1/requests/{id}/transitions", variant: "cancel community A's request",
            path: { "/v1/requests/\($0.requestA.id)/transitions" },
            body: { _, _ in #"{"to":"cancelled","reason":"Sin fondos este año"}"# }, isolated: true, only([.admin, .staff, .community])),
        Row(
            .post, "/v1/requests/{id}/transitions", variant: "cancel community B's request",
            path: { "/v1/requests/\($0.requestB.id)/transitions" },
            body: { _, _ in #"{"to":"cancelled"}"# }, isolated: true, only([.admin, .staff])),
        Row(
            .get, "/v1/requests/{id}/applications", variant: "community A's request",
            path: { "/v1/requests/\($0.requestA.id)/applications" }, only([.admin, .staff, .community])),
        Row(
            .get, "/v1/requests/{id}/applications", variant: "community B's request",
            path: { "/v1/requests/\($0.requestB.id)/applications" }, only([.admin, .staff])),
        Row(
            .post, "/v1/requests/{id}/applications", variant: "community A's request, the provider user's profile",
            path: { "/v1/requests/\($0.requestA.id)/applications" },
            // Unpublished: the talent applies for itself; to a buyer it is as if it did not exist.
            body: { world, _ in #"{"provider_id":"\#(world.ownProvider.id)"}"# }, isolated: true,
            [
                .anonymous: .unauthorized, .admin: .unprocessableContent, .staff: .unprocessableContent, .municipality: .forbidden,
                .community: .unprocessableContent, .provider: .created,
            ]),
        Row(
            .post, "/v1/requests/{id}/applications", variant: "community A's request, another unpublished provider",
            path: { "/v1/requests/\($0.requestA.id)/applications" },
            body: { world, _ in #"{"provider_id":"\#(world.unpublishedProvider.id)"}"# }, isolated: true,
            only([.admin, .staff, .community], .unprocessableContent)),
        Row(
            .post, "/v1/requests/{id}/applications", variant: "community B's request, a published provider",
            path: { "/v1/requests/\($0.requestB.id)/applications" },
            body: { world, _ in #"{"provider_id":"\#(world.publishedProvider.id)"}"# }, isolated: true, only([.admin, .staff], .created)),
        // Those who are neither the buyer nor the talent do not see an application at all.
        Row(
            .patch, "/v1/applications/{id}", variant: "shortlist on community A's request",
            path: { "/v1/applications/\($0.applicationA.id)" },
            body: { _, _ in #"{"status":"shortlisted"}"# }, isolated: true,
            [.anonymous: .unauthorized, .admin: .ok, .staff: .ok, .municipality: .notFound, .community: .ok, .provider: .notFound]),
        Row(
            .patch, "/v1/applications/{id}", variant: "withdraw the provider user's own",
            path: { "/v1/applications/\($0.ownApplication.id)" },
            body: { _, _ in #"{"status":"withdrawn"}"# }, isolated: true,
            [.anonymous: .unauthorized, .admin: .ok, .staff: .ok, .municipality: .notFound, .community: .notFound, .provider: .ok]),
        Row(
            .patch, "/v1/applications/{id}", variant: "the talent shortlisting its own",
            path: { "/v1/applications/\($0.ownApplication.id)" },
            body: { _, _ in #"{"status":"shortlisted"}"# }, isolated: true,
            [.anonymous: .unauthorized, .admin: .ok, .staff: .ok, .municipality: .notFound, .community: .notFound, .provider: .forbidden]),
        // Only the invited profile's user answers an invitation, and only an invitation.
        Row(
            .post, "/v1/applications/{id}/answer", variant: "another's application",
            path: { "/v1/applications/\($0.applicationA.id)/answer" },
            body: { _, _ in #"{"answer":"accepted"}"# }, only(Set(Caller.allCases), .notFound)),
        Row(
            .post, "/v1/applications/{id}/answer", variant: "the provider user's own, not an invitation",
            path: { "/v1/applications/\($0.ownApplication.id)/answer" }, body: { _, _ in #"{"answer":"accepted"}"# },
            [
                .anonymous: .unauthorized, .admin: .notFound, .staff: .notFound, .municipality: .notFound, .community: .notFound,
                .provider: .conflict,
            ]),
        Row(
            .post, "/v1/trainings",
            body: { world, _ in
                #"{"trainer_id":"\#(world.publishedProvider.id)","trainee_id":"\#(world.unpublishedProvider.id)","#
                    + #""skill":"camelids.fibre","held_on":"2024-08-01"}"#
            }, only([.admin, .staff], .created)),
        // Contracts: seen by the buyer's people, the technician and staff; to anyone else a
        // contract is as if it did not exist. Written by the buyer's people and staff.
        Row(.get, "/v1/contracts", only(Set(Caller.allCases))),
        Row(
            .post, "/v1/contracts", variant: "direct, for community A",
            body: { world, _ in
                #"{"organization_id":"\#(world.communityA.id)","provider_id":"\#(world.publishedProvider.id)","title":"Sanidad animal","#
                    + #""starts_on":"2027-08-01","ends_on":"2027-08-20","amount_cents":150000,"#
                    + #""funding":[{"source_organization_id":"\#(world.communityA.id)","kind":"counterpart_cash","amount_cents":150000}]}"#
            }, only([.admin, .staff, .community], .created)),
        Row(
            .get, "/v1/contracts/{id}", variant: "community A's", path: { "/v1/contracts/\($0.contractA.id)" },
            seen(by: [.admin, .staff, .community])),
        Row(
            .get, "/v1/contracts/{id}", variant: "community B's, the provider user's", path: { "/v1/contracts/\($0.contractB.id)" },
            seen(by: [.admin, .staff, .provider])),
        Row(
            .post, "/v1/contracts/{id}/transitions", variant: "start community A's",
            path: { "/v1/contracts/\($0.contractA.id)/transitions" },
            body: { _, _ in #"{"to":"active"}"# }, isolated: true, seen(by: [.admin, .staff, .community])),
        Row(
            .post, "/v1/contracts/{id}/transitions", variant: "sign community B's (the provider user's)",
            path: { "/v1/contracts/\($0.contractB.id)/transitions" }, body: { _, _ in #"{"to":"signed"}"# }, isolated: true,
            seen(by: [.admin, .staff], readers: [.provider])),
        Row(
            .post, "/v1/contracts/{id}/amendments", variant: "community A's", path: { "/v1/contracts/\($0.contractA.id)/amendments" },
            body: { _, _ in #"{"ends_on":"2027-06-15","reason":"Nevada en mayo"}"# }, isolated: true,
            seen(by: [.admin, .staff, .community], .created)),
        Row(
            .patch, "/v1/contracts/{id}/milestones/{milestone_id}", variant: "community A's",
            path: { "/v1/contracts/\($0.contractA.id)/milestones/\($0.contractA.milestones[0].id)" },
            body: { _, _ in #"{"status":"met","on":"2027-05-30"}"# }, isolated: true, seen(by: [.admin, .staff, .community])),
        Row(
            .post, "/v1/contracts/{id}/payments", variant: "community A's", path: { "/v1/contracts/\($0.contractA.id)/payments" },
            body: { world, _ in
                #"{"amount_cents":1000,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(world.communityA.id)"}"#
            }, seen(by: [.admin, .staff, .community], .created)),
        Row(
            .post, "/v1/contracts/{id}/payments", variant: "community B's, the provider user's",
            path: { "/v1/contracts/\($0.contractB.id)/payments" },
            body: { world, _ in
                #"{"amount_cents":1000,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(world.communityB.id)"}"#
            }, seen(by: [.admin, .staff], .conflict, readers: [.provider])),
        Row(
            .get, "/v1/contracts/{id}/payments", variant: "community A's", path: { "/v1/contracts/\($0.contractA.id)/payments" },
            seen(by: [.admin, .staff, .community])),
        Row(
            .get, "/v1/contracts/{id}/payments", variant: "community B's, the provider user's",
            path: { "/v1/contracts/\($0.contractB.id)/payments" }, seen(by: [.admin, .staff, .provider])),
        // Ratings: the buyer's people rate (World's rating makes a second one 409); staff, who
        // stay neutral, may only hide a comment.
        Row(
            .post, "/v1/contracts/{id}/rating", variant: "community A's, rated already",
            path: { "/v1/contracts/\($0.completedA.id)/rating" },
            body: { _, _ in #"{"technical":5,"communication":5,"punctuality":5,"results":5}"# },
            seen(by: [.community], .conflict, readers: [.admin, .staff])),
        Row(
            .get, "/v1/contracts/{id}/rating", variant: "community A's", path: { "/v1/contracts/\($0.completedA.id)/rating" },
            seen(by: [.admin, .staff, .community])),
        Row(
            .patch, "/v1/contracts/{id}/rating", variant: "hide community A's comment",
            path: { "/v1/contracts/\($0.completedA.id)/rating" },
            body: { _, _ in #"{"comment_hidden_reason":"Insulta al técnico"}"# }, isolated: true,
            seen(by: [.admin, .staff], readers: [.community])),
        Row(
            .get, "/v1/providers/{id}/ratings", variant: "published", path: { "/v1/providers/\($0.publishedProvider.id)/ratings" }, all(.ok)
        ),
        Row(
            .get, "/v1/providers/{id}/ratings", variant: "unpublished, another's",
            path: { "/v1/providers/\($0.unpublishedProvider.id)/ratings" }, hidden(from: [.admin, .staff])),
        // Reviews: staff's to write (admins' to suspend), the reviewed provider's and staff's to read.
        Row(.get, "/v1/reports/indicators", path: { _ in "/v1/reports/indicators?department=Cusco" }, only([.admin, .staff])),
        Row(.get, "/v1/reports/indicators.csv", only([.admin, .staff])),
        Row(.get, "/v1/reports/providers.csv", only([.admin, .staff])),
        Row(.get, "/v1/reports/needs-look", only([.admin, .staff])),
        Row(.get, "/v1/exports/ocds", only([.admin, .staff])),
        Row(.get, "/v1/reports/providers/{id}", path: { "/v1/reports/providers/\($0.publishedProvider.id)" }, only([.admin, .staff])),
        Row(
            .post, "/v1/providers/{id}/reviews", variant: "keep", path: { "/v1/providers/\($0.publishedProvider.id)/reviews" },
            body: { _, _ in #"{"period_from":"2026-01-01","period_to":"2026-06-30","summary":"Cumple","decision":"keep"}"# },
            only([.admin, .staff], .created)),
        Row(
            .post, "/v1/providers/{id}/reviews", variant: "suspend", path: { "/v1/providers/\($0.publishedProvider.id)/reviews" },
            body: { _, _ in
                #"{"period_from":"2026-01-01","period_to":"2026-06-30","summary":"Cobró dos veces","decision":"suspend","#
                    + #""reason":"Cobró a las familias un pago que el contrato ya cubría"}"#
            }, isolated: true, only([.admin], .created)),
        Row(
            .get, "/v1/providers/{id}/reviews", variant: "the provider user's own", path: { "/v1/providers/\($0.ownProvider.id)/reviews" },
            seen(by: [.admin, .staff, .provider])),
        Row(
            .get, "/v1/providers/{id}/reviews", variant: "another's", path: { "/v1/providers/\($0.publishedProvider.id)/reviews" },
            seen(by: [.admin, .staff])),
        Row(
            .post, "/v1/reviews/{id}/answer", variant: "the provider user's own", path: { "/v1/reviews/\($0.reviewOfOwn.id)/answer" },
            body: { _, _ in #"{"text":"Gracias; seguiré capacitándome"}"# }, isolated: true,
            [
                .anonymous: .unauthorized, .admin: .forbidden, .staff: .forbidden, .municipality: .notFound, .community: .notFound,
                .provider: .ok,
            ]
        ),
    ]

    /// Anonymous 401; `allowed` callers `status`; `readers`, who see the record but may not do
    /// this, 403; everyone else 404, as if the record did not exist.
    static func seen(
        by allowed: Set<Caller>, _ status: HTTPResponse.Status = .ok, readers: Set<Caller> = []
    ) -> [Caller: HTTPResponse.Status] {
        Dictionary(
            uniqueKeysWithValues: Caller.allCases.map { caller in
                let outcome: HTTPResponse.Status =
                    caller == .anonymous
                    ? .unauthorized : allowed.contains(caller) ? status : readers.contains(caller) ? .forbidden : .notFound
                return (caller, outcome)
            })
    }

    /// 200 for the callers who may see an unpublished profile, 404 for everyone else, so
    /// that such a profile does not even show it exists.
    static func hidden(from seers: Set<Caller>) -> [Caller: HTTPResponse.Status] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, seers.contains($0) ? .ok : .notFound) })
    }

    @Test(arguments: rows)
    func statusFor(_ row: Row) async throws {
        let shared = row.isolated ? nil : try await World.make()
        for caller in Caller.allCases {
            let world = if let shared { shared } else { try await World.make() }
            let token = row.spendsToken ? try await world.freshToken(caller) : world.tokens[caller]
            let response = try await withApp(on: world.endpoint) { client in
                var headers = HTTPFields()
                if let token { headers[.authorization] = "Bearer \(token)" }
                let body = row.body.map { ByteBuffer(string: $0(world, caller)) }
                if body != nil { headers[.contentType] = "application/json" }
                return try await client.execute(uri: row.path(world), method: row.method, headers: headers, body: body)
            }
            #expect(response.status == row.expected[caller], "\(caller) \(row.testDescription): \(String(buffer: response.body))")
        }
    }

    @Test func everyRouteHasRows() async throws {
        let router = buildRouter(
            database: TestDatabase.makeClient(try await TestDatabase.fresh()), reference: try await TestDatabase.reference(),
            logger: TestDatabase.logger)
        // The pages have their own matrix (PageAccessTests).
        let served = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { !PageSources.isPage($0) })
        let covered = Set(Self.rows.map { "\($0.method) \($0.route)" })
        #expect(served == covered)
        #expect(Self.rows.allSatisfy { $0.expected.count == Caller.allCases.count })
    }
}
