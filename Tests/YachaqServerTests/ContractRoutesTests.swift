import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqDomain
import YachaqServer
import YachaqTestSupport

/// Contracts through HTTP: from the assembly's choice to the last payment, and the rules
/// that hold whatever the order of events.
@Suite struct ContractRoutesTests {
    typealias JSON = [String: Any]

    /// A direct contract of community A with `provider`, funded by the community's cash.
    static func directContract(
        _ world: World, provider: UUID, from: String = "2027-09-01", to: String = "2027-09-30", amount: Int = 100_000,
        exclusive: Bool = false, requestID: UUID? = nil
    ) -> String {
        """
        {"organization_id":"\(world.communityA.id)","provider_id":"\(provider)","title":"Trabajo en la comunidad",
         "starts_on":"\(from)","ends_on":"\(to)","amount_cents":\(amount),"exclusive":\(exclusive),
         \(requestID.map { #""request_id":"\#($0)","# } ?? "")
         "funding":[{"source_organization_id":"\(world.communityA.id)","kind":"counterpart_cash","amount_cents":\(amount)}]}
        """
    }

    static func payment(_ world: World, cents: Int, payer: UUID? = nil, kind: String? = nil) -> String {
        """
        {"amount_cents":\(cents),"paid_on":"2027-03-10","method":"bank_transfer",
         "payer_organization_id":"\(payer ?? world.communityA.id)"\(kind.map { #","funding_kind":"\#($0)""# } ?? "")}
        """
    }

    /// The done-when story of the issue, as a community would tell it with curl.
    @Test func aSelectedApplicationBecomesAContractPaidInFullAndCompleted() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        try await withApp(on: world.endpoint) { client in
            _ = try await client.send(
                .patch, "/v1/applications/\(world.applicationA.id)", token: community, json: #"{"status":"selected"}"#)
            let created = try await client.send(
                .post, "/v1/contracts", token: community,
                json: """
                    {"application_id":"\(world.applicationA.id)","scope":"Esquila y clasificación de fibra de 400 alpacas",
                     "funding":[{"source_organization_id":"\(world.agency.id)","kind":"public_transfer","amount_cents":350000},
                                {"source_organization_id":"\(world.communityA.id)","kind":"counterpart_cash","amount_cents":150000}],
                     "milestones":[{"title":"Fibra clasificada en cuatro calidades","due_on":"2027-04-15"}]}
                    """)
            #expect(created.status == .created, "\(String(buffer: created.body))")
            let contract = try created.object()
            // Prefilled from the request and the selected application.
            #expect(contract["provider_id"] as? String == world.publishedProvider.id.uuidString.lowercased())
            #expect(contract["organization_id"] as? String == world.communityA.id.uuidString.lowercased())
            #expect(contract["request_id"] as? String == world.requestA.id.uuidString.lowercased())
            #expect(contract["starts_on"] as? String == "2027-03-01" && contract["ends_on"] as? String == "2027-04-30")
            #expect(contract["amount_cents"] as? Int == 500_000 && contract["status"] as? String == "draft")
            #expect(contract["title"] as? String == world.requestA.title)
            let path = "/v1/contracts/\(try #require(contract["id"] as? String))"
            for step in ["signed", "active"] {
                let moved = try await client.send(.post, path + "/transitions", token: community, json: #"{"to":"\#(step)"}"#)
                #expect(moved.status == .ok, "\(step): \(String(buffer: moved.body))")
            }
            // The community's counterpart, sent twice (a lost answer on a weak connection), then the transfer.
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(community!)"
            headers[.contentType] = "application/json"
            headers[.init("Idempotency-Key")!] = "chillihuani-cuota-1"
            let counterpart = Self.payment(world, cents: 150_000)
            let first = try await client.execute(uri: path + "/payments", method: .post, headers: headers, body: .init(string: counterpart))
            let retry = try await client.execute(uri: path + "/payments", method: .post, headers: headers, body: .init(string: counterpart))
            #expect(first.status == .created && retry.status == .created)
            #expect(try first.object()["id"] as? String == (try retry.object()["id"] as? String))
            #expect(first.headers[.init("Idempotent-Replayed")!] == nil && retry.headers[.init("Idempotent-Replayed")!] == "true")
            let transfer = try await client.send(
                .post, path + "/payments", token: community, json: Self.payment(world, cents: 350_000, payer: world.agency.id))
            #expect(transfer.status == .created, "\(String(buffer: transfer.body))")
            let milestone = try #require((contract["milestones"] as? [JSON])?.first?["id"] as? String)
            let met = try await client.send(
                .patch, path + "/milestones/\(milestone)", token: community, json: #"{"status":"met","on":"2027-04-12","note":"Conforme"}"#)
            #expect(met.status == .ok)
            // A judgement dated outside the contract's days is refused (issue 27, finding 5).
            try await client.send(
                .patch, path + "/milestones/\(milestone)", token: community, json: #"{"status":"met","on":"1900-01-01"}"#
            ).problem(.unprocessableContent)
            let completed = try await client.send(.post, path + "/transitions", token: community, json: #"{"to":"completed"}"#).object()
            #expect(completed["status"] as? String == "completed")
            // Once the work ended, its milestones stay as they were judged: 409, and no audit row.
            let judged = try await world.count("SELECT count(*) FROM audit_log WHERE action LIKE 'milestone_%'")
            try await client.send(
                .patch, path + "/milestones/\(milestone)", token: community, json: #"{"status":"not_met","on":"2027-04-20"}"#
            ).problem(.conflict)
            #expect(try await world.count("SELECT count(*) FROM audit_log WHERE action LIKE 'milestone_%'") == judged)
            #expect(completed["paid_cents"] as? Int == 500_000 && completed["balance_cents"] as? Int == 0)
            let byKind = try #require(completed["paid_by_kind"] as? JSON)
            #expect(byKind["public_transfer"] as? Int == 350_000 && byKind["counterpart_cash"] as? Int == 150_000)
            #expect((completed["funding"] as? [JSON])?.map { $0["paid_cents"] as? Int } == [350_000, 150_000])
            #expect(((completed["milestones"] as? [JSON])?.first)?["status"] as? String == "met")
            let moves = (completed["transitions"] as? [JSON])?.map { "\($0["from"] ?? "-")→\($0["to"] ?? "")" }
            #expect(moves == ["-→draft", "draft→signed", "signed→active", "active→completed"])
            #expect(try await client.send(.get, path + "/payments", token: community).items().count == 2)
        }
        #expect(try await world.count("SELECT count(*) FROM payments") == 2)
    }

    @Test func fundingThatDoesNotAddUpIsRefusedAndNothingIsWritten() async throws {
        let world = try await World.make()
        let before = try await world.count("SELECT count(*) FROM contracts")
        let audited = try await world.count("SELECT count(*) FROM audit_log")
        try await withApp(on: world.endpoint) { client in
            let body = Self.directContract(world, provider: world.publishedProvider.id)
                .replacingOccurrences(of: #""amount_cents":100000}"#, with: #""amount_cents":99999}"#)
            let problem = try await client.send(.post, "/v1/contracts", token: world.tokens[.community], json: body)
                .problem(.unprocessableContent)
            #expect((problem["errors"] as? [JSON])?.map { $0["field"] as? String } == ["funding"])
        }
        #expect(try await world.count("SELECT count(*) FROM contracts") == before)
        #expect(try await world.count("SELECT count(*) FROM audit_log") == audited)
    }

    /// Every status × every target: the allowed moves are 200, the rest 409.
    @Test func everyTransitionIsAllowedOrRefusedAsTheTableSays() async throws {
        let allowed: Set<String> = [
            "draft→signed", "draft→cancelled", "signed→active", "signed→cancelled", "active→completed", "active→terminated",
        ]
        let reach: [String: [String]] = [
            "draft": [], "signed": ["signed"], "active": ["signed", "active"], "completed": ["signed", "active", "completed"],
            "terminated": ["signed", "active", "terminated"], "cancelled": ["cancelled"],
        ]
        let world = try await World.make()
        let staff = world.tokens[.staff]
        try await withApp(on: world.endpoint) { client in
            for (from, path) in reach.sorted(by: { $0.key < $1.key }) {
                for to in ["signed", "active", "completed", "terminated", "cancelled"] {
                    let id =
                        try await client.send(
                            .post, "/v1/contracts", token: staff, json: Self.directContract(world, provider: world.publishedProvider.id)
                        ).object()["id"] as? String
                    let transitions = "/v1/contracts/\(try #require(id))/transitions"
                    for step in path {
                        let body = #"{"to":"\#(step)","reason":"Paso previo"}"#
                        #expect(try await client.send(.post, transitions, token: staff, json: body).status == .ok)
                    }
                    let response = try await client.send(.post, transitions, token: staff, json: #"{"to":"\#(to)","reason":"Motivo"}"#)
                    let expected: HTTPResponse.Status = allowed.contains("\(from)→\(to)") ? .ok : .conflict
                    #expect(response.status == expected, "\(from)→\(to): \(String(buffer: response.body))")
                }
            }
            // Terminating needs a reason.
            let id =
                try await client.send(
                    .post, "/v1/contracts", token: staff, json: Self.directContract(world, provider: world.publishedProvider.id)
                )
                .object()["id"] as? String
            let transitions = "/v1/contracts/\(try #require(id))/transitions"
            for step in ["signed", "active"] { _ = try await client.send(.post, transitions, token: staff, json: #"{"to":"\#(step)"}"#) }
            let problem = try await client.send(.post, transitions, token: staff, json: #"{"to":"terminated"}"#).problem(
                .unprocessableContent)
            #expect((problem["errors"] as? [JSON])?.map { $0["field"] as? String } == ["reason"])
            let terminated = try await client.send(
                .post, transitions, token: staff, json: #"{"to":"terminated","reason":"Abandonó el trabajo"}"#
            ).object()
            let last = try #require((terminated["transitions"] as? [JSON])?.last)
            #expect(last["reason"] as? String == "Abandonó el trabajo")
            #expect(last["actor_id"] as? String == world.users[.staff]?.id.uuidString.lowercased())
        }
    }

    /// 32 buyers' people signing 32 exclusive contracts of one technician for overlapping days
    /// at once: one is signed, 31 are 409 naming it.
    @Test func concurrentExclusiveSigningsLeaveExactlyOne() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let outcomes = try await withApp(on: world.endpoint, client: TestDatabase.makeClient(world.endpoint, maximumConnections: 12)) {
            client in
            var ids: [String] = []
            for day in 1...32 {
                let body = Self.directContract(
                    world, provider: world.publishedProvider.id, from: "2028-01-\(String(format: "%02d", (day % 28) + 1))",
                    to: "2028-02-28",
                    exclusive: true)
                ids.append(try #require(try await client.send(.post, "/v1/contracts", token: staff, json: body).object()["id"] as? String))
            }
            return try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for id in ids {
                    group.addTask {
                        let response = try await client.send(
                            .post, "/v1/contracts/\(id)/transitions", token: staff, json: #"{"to":"signed"}"#)
                        return (id, Int(response.status.code), String(buffer: response.body))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        let signed = outcomes.filter { $0.1 == 200 }
        #expect(signed.count == 1)
        #expect(outcomes.filter { $0.1 == 409 }.count == 31)
        let winner = try #require(signed.first?.0)
        let unnamed = outcomes.filter { $0.1 == 409 && !$0.2.contains(winner) }.map(\.2)
        #expect(unnamed.isEmpty, "every conflict names the signed contract \(winner): \(unnamed.prefix(3))")
        #expect(
            try await world.count(
                "SELECT count(*) FROM contracts WHERE provider_id = \(world.publishedProvider.id) AND exclusive AND status = 'signed'") == 1
        )
    }

    /// Found by hand: a correction of -Int64.min céntimos was negated to check its bound,
    /// which trapped and stopped the process. Every extreme is a 422 now, and the service lives on.
    @Test func extremeAmountsAre422AndTheServiceLivesOn() async throws {
        let world = try await World.make()
        let path = "/v1/contracts/\(world.contractA.id)/payments"
        try await withApp(on: world.endpoint) { client in
            for cents in ["-9223372036854775808", "9223372036854775807", "-10000000001", "0"] {
                try await client.send(
                    .post, path, token: world.tokens[.community], json: #"{"amount_cents":\#(cents),"corrects_payment_id":"\#(UUID())"}"#
                ).problem(.unprocessableContent)
                try await client.send(
                    .post, path, token: world.tokens[.community],
                    json: Self.payment(world, cents: 0).replacingOccurrences(
                        of: #""amount_cents":0"#, with: #""amount_cents":\#(cents)"#)
                ).problem(.unprocessableContent)
            }
            #expect(try await client.send(.get, "/health").status == .ok)
        }
        #expect(try await world.count("SELECT count(*) FROM payments") == 0)
    }

    @Test func amendmentsKeepTheTermsBeforeAndAfterAndNeverGoBelowWhatWasPaid() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        let path = "/v1/contracts/\(world.contractA.id)"
        @Sendable func funding(public: Int, cash: Int) -> String {
            """
            [{"source_organization_id":"\(world.agency.id)","kind":"public_transfer","amount_cents":\(`public`)},
             {"source_organization_id":"\(world.communityA.id)","kind":"counterpart_cash","amount_cents":\(cash)}]
            """
        }
        try await withApp(on: world.endpoint) { client in
            #expect(
                try await client.send(.post, path + "/payments", token: community, json: Self.payment(world, cents: 90_000)).status
                    == .created)
            let amended = try await client.send(
                .post, path + "/amendments", token: community,
                json:
                    #"{"amount_cents":400000,"ends_on":"2027-06-15","funding":\#(funding(public: 310_000, cash: 90_000)),"#
                    + #""reason":"Más alpacas"}"#
            )
            #expect(amended.status == .created, "\(String(buffer: amended.body))")
            let contract = try amended.object()
            #expect(contract["amount_cents"] as? Int == 400_000 && contract["ends_on"] as? String == "2027-06-15")
            let amendment = try #require((contract["amendments"] as? [JSON])?.first)
            #expect((amendment["before"] as? JSON)?["amount_cents"] as? Int == 300_000)
            #expect((amendment["before"] as? JSON)?["ends_on"] as? String == "2027-05-31")
            #expect((amendment["after"] as? JSON)?["amount_cents"] as? Int == 400_000)
            #expect(((amendment["after"] as? JSON)?["funding"] as? [JSON])?.map { $0["amount_cents"] as? Int } == [310_000, 90_000])
            // The community's line below the 90,000 it has paid.
            try await client.send(
                .post, path + "/amendments", token: community,
                json: #"{"amount_cents":360000,"funding":\#(funding(public: 310_000, cash: 50_000)),"reason":"Menos fibra"}"#
            ).problem(.conflict)
            // Lines that do not add up to the amount.
            try await client.send(
                .post, path + "/amendments", token: community,
                json: #"{"amount_cents":360000,"funding":\#(funding(public: 200_000, cash: 90_000)),"reason":"Menos fibra"}"#
            ).problem(.unprocessableContent)
            // A new amount with the funding left as it was.
            try await client.send(.post, path + "/amendments", token: community, json: #"{"amount_cents":360000,"reason":"Menos fibra"}"#)
                .problem(.unprocessableContent)
        }
        #expect(try await world.count("SELECT count(*) FROM contract_amendments") == 1)
        #expect(try await world.count("SELECT amount_cents::int FROM contracts WHERE id = \(world.contractA.id)") == 400_000)
    }

    /// Moving the end of an exclusive contract into the days of another one of the same
    /// technician is the same double booking as signing it: 409 naming the other.
    @Test func anAmendmentCannotStretchIntoAnotherExclusiveContract() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        try await withApp(on: world.endpoint) { client in
            var ids: [String] = []
            for (from, to) in [("2028-03-01", "2028-03-31"), ("2028-04-01", "2028-04-30")] {
                let body = Self.directContract(world, provider: world.publishedProvider.id, from: from, to: to, exclusive: true)
                let id = try #require(try await client.send(.post, "/v1/contracts", token: staff, json: body).object()["id"] as? String)
                #expect(
                    try await client.send(.post, "/v1/contracts/\(id)/transitions", token: staff, json: #"{"to":"signed"}"#).status == .ok)
                ids.append(id)
            }
            let problem = try await client.send(
                .post, "/v1/contracts/\(ids[0])/amendments", token: staff, json: #"{"ends_on":"2028-04-10","reason":"Lluvias tardías"}"#
            ).problem(.conflict)
            #expect((problem["detail"] as? String)?.contains(ids[1]) == true)
            // Milestones are judged once a contract is signed; an unknown one is 404.
            let draft = world.contractB
            try await client.send(
                .patch, "/v1/contracts/\(draft.id)/milestones/\(draft.milestones[0].id)", token: staff,
                json: #"{"status":"met","on":"2027-05-02"}"#
            ).problem(.conflict)
            try await client.send(
                .patch, "/v1/contracts/\(ids[0])/milestones/\(UUID())", token: staff, json: #"{"status":"met","on":"2027-05-02"}"#
            ).problem(.notFound)
        }
        #expect(try await world.count("SELECT count(*) FROM contract_amendments") == 0)
    }

    /// Signing an exclusive contract of a request awards the request, and matching stops
    /// proposing the booked technician for days that overlap.
    @Test func signingAwardsTheRequestAndBooksTheTechnicianOutOfMatching() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        try await withApp(on: world.endpoint) { client in
            func matched() async throws -> [String] {
                try await client.send(.get, "/v1/requests/\(world.requestA.id)/matches", token: community).items()
                    .compactMap { ($0["provider"] as? JSON)?["id"] as? String }
            }
            let provider = world.publishedProvider.id.uuidString.lowercased()
            #expect(try await matched().contains(provider))
            let body = Self.directContract(
                world, provider: world.publishedProvider.id, from: "2027-04-01", to: "2027-04-20", exclusive: true,
                requestID: world.requestA.id)
            let id = try #require(try await client.send(.post, "/v1/contracts", token: community, json: body).object()["id"] as? String)
            #expect(
                try await client.send(.post, "/v1/contracts/\(id)/transitions", token: community, json: #"{"to":"signed"}"#).status == .ok)
            #expect(try await client.send(.get, "/v1/requests/\(world.requestA.id)").object()["status"] as? String == "awarded")
            #expect(try await !matched().contains(provider))
        }
    }

    @Test func listsShowEachCallerTheirOwnAndFilter() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            func ids(_ query: String, _ caller: Caller) async throws -> [String] {
                try await client.send(.get, "/v1/contracts\(query)", token: world.tokens[caller]).items().compactMap { $0["id"] as? String }
            }
            let a = world.contractA.id.uuidString.lowercased(), b = world.contractB.id.uuidString.lowercased()
            let c = world.completedA.id.uuidString.lowercased()
            #expect(try await ids("", .community) == [c, a])
            #expect(try await ids("", .provider) == [b])
            #expect(try await ids("", .municipality) == [])
            #expect(try await ids("", .staff) == [c, b, a])
            #expect(try await ids("?status=draft", .staff) == [b])
            #expect(try await ids("?ubigeo=21", .staff) == [b])
            #expect(try await ids("?provider_id=\(world.publishedProvider.id)", .staff) == [c, a])
            #expect(try await ids("?organization_id=\(world.communityB.id)", .community) == [])
            #expect(try await ids("?from=2027-06-01", .staff) == [])
            #expect(try await ids("?from=2027-05-31&to=2027-05-31", .staff) == [b, a])
            let first = try await client.send(.get, "/v1/contracts?limit=1", token: world.tokens[.staff]).object()
            let cursor = try #require(first["next_cursor"] as? String)
            #expect(try await ids("?limit=1&cursor=\(cursor)", .staff) == [b])
            try await client.send(.get, "/v1/contracts?ubigeo=123", token: world.tokens[.staff]).problem(.unprocessableContent)
            try await client.send(.get, "/v1/contracts?status=paid", token: world.tokens[.staff]).problem(.unprocessableContent)
        }
    }

    /// A talent who has not agreed to publish cannot be contracted directly by whoever learns
    /// their id: the answer is the one for an id that does not exist (issue 27, finding 3).
    @Test func aHiddenTalentReadsLikeAMissingOneToAContract() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let community = world.tokens[.community]
            let hidden = try await client.send(
                .post, "/v1/contracts", token: community, json: Self.directContract(world, provider: world.unpublishedProvider.id)
            ).problem(.unprocessableContent)
            let missing = try await client.send(
                .post, "/v1/contracts", token: community, json: Self.directContract(world, provider: UUID())
            )
            .problem(.unprocessableContent)
            #expect(hidden["errors"] as? [[String: String]] == missing["errors"] as? [[String: String]])
            #expect((hidden["errors"] as? [[String: String]])?.first?["field"] == "provider_id")
            // Staff see every profile, and may.
            #expect(
                try await client.send(
                    .post, "/v1/contracts", token: world.tokens[.staff],
                    json: Self.directContract(world, provider: world.unpublishedProvider.id)
                ).status == .created)
        }
        #expect(try await world.count("SELECT count(*) FROM contracts WHERE provider_id = \(world.unpublishedProvider.id)") == 1)
    }

}
