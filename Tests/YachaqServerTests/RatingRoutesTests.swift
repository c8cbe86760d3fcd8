import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import YachaqServer
import YachaqTestSupport

/// The communities' judgement: who rates, when, once; what everyone reads of it.
@Suite struct RatingRoutesTests {
    typealias JSON = [String: Any]

    static let scores = #"{"technical":5,"communication":5,"punctuality":5,"results":5}"#

    /// A contract of community A with `provider`, driven by staff through `steps`; its id.
    static func contract(
        _ client: some TestClientProtocol, _ world: World, provider: UUID, through steps: [String], families: Int? = nil
    ) async throws -> String {
        var body = ContractRoutesTests.directContract(world, provider: provider)
        if let families {
            body = body.replacingOccurrences(of: #""exclusive":false,"#, with: #""exclusive":false,"families":\#(families),"#)
        }
        let created = try await client.send(.post, "/v1/contracts", token: world.tokens[.staff], json: body)
        let id = try #require(try created.object()["id"] as? String, "\(String(buffer: created.body))")
        for step in steps {
            let reason = ["terminated", "cancelled"].contains(step) ? #","reason":"Dejó la obra""# : ""
            let moved = try await client.send(
                .post, "/v1/contracts/\(id)/transitions", token: world.tokens[.staff], json: #"{"to":"\#(step)"\#(reason)}"#)
            #expect(moved.status == .ok, "\(step): \(String(buffer: moved.body))")
        }
        return id
    }

    /// Who may rate, and when: the buyer's people, once the work ended; nobody else.
    @Test func whoMayRateAndWhen() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let cases: [(steps: [String], caller: Caller, expected: HTTPResponse.Status)] = [
                (["signed", "active", "completed"], .community, .created),
                (["signed", "active", "terminated"], .community, .created),
                (["signed", "active"], .community, .conflict),
                (["signed"], .community, .conflict),
                ([], .community, .conflict),
                (["cancelled"], .community, .conflict),
                (["signed", "active", "completed"], .staff, .forbidden),
                (["signed", "active", "completed"], .admin, .forbidden),
                (["signed", "active", "completed"], .municipality, .notFound),
                (["signed", "active", "completed"], .anonymous, .unauthorized),
            ]
            for (steps, caller, expected) in cases {
                let id = try await Self.contract(client, world, provider: world.publishedProvider.id, through: steps)
                let response = try await client.send(.post, "/v1/contracts/\(id)/rating", token: world.tokens[caller], json: Self.scores)
                #expect(response.status == expected, "\(caller) after \(steps): \(String(buffer: response.body))")
            }
            // The technician reads its contracts but does not rate them.
            let own = try await Self.contract(client, world, provider: world.ownProvider.id, through: ["signed", "active", "completed"])
            try await client.send(.post, "/v1/contracts/\(own)/rating", token: world.tokens[.provider], json: Self.scores)
                .problem(.forbidden)
        }
        #expect(try await world.count("SELECT count(*) FROM ratings") == 3)  // World's and the two allowed
    }

    /// Ten members of the assembly sending the rating at the same moment: one rating.
    @Test func oneRatingPerContractUnderConcurrency() async throws {
        let world = try await World.make()
        let statuses = try await withApp(on: world.endpoint, client: TestDatabase.makeClient(world.endpoint, maximumConnections: 10)) {
            client in
            let id = try await Self.contract(
                client, world, provider: world.publishedProvider.id, through: ["signed", "active", "completed"])
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 1...10 {
                    group.addTask {
                        Int(
                            try await client.send(.post, "/v1/contracts/\(id)/rating", token: world.tokens[.community], json: Self.scores)
                                .status.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.sorted() == [201] + Array(repeating: 409, count: 9))
    }

    /// The summary, counted by hand. World's rating of the published provider is (4, 5, 4, 4),
    /// mean 4.25; two more: (5, 5, 5, 5), would hire again, and (3, 4, 4, 5), would not.
    /// Means 4.25 + 5 + 4 = 13.25 over 3: average 4.4. Score (5 × 3.5 + 13.25) ÷ (5 + 3) = 3.84.
    @Test func theSummaryIsThePlainAveragesAndTheBayesianScore() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/providers/\(world.publishedProvider.id)/ratings"
            for body in [
                #"{"technical":5,"communication":5,"punctuality":5,"results":5,"would_hire_again":true}"#,
                #"{"technical":3,"communication":4,"punctuality":4,"results":5,"would_hire_again":false}"#,
            ] {
                let id = try await Self.contract(
                    client, world, provider: world.publishedProvider.id, through: ["signed", "active", "completed"])
                #expect(
                    try await client.send(.post, "/v1/contracts/\(id)/rating", token: world.tokens[.community], json: body).status
                        == .created)
            }
            let summary = try await client.send(.get, path).object()
            #expect(summary["count"] as? Int == 3)
            #expect(summary["average"] as? Double == 4.4)
            #expect(summary["score"] as? Double == 3.8)
            #expect(summary["would_hire_again_share"] as? Double == 0.5)
            let dimensions = try #require(summary["dimensions"] as? JSON)
            #expect(dimensions["technical"] as? Double == 4.0 && dimensions["communication"] as? Double == 4.7)
            #expect(dimensions["punctuality"] as? Double == 4.3 && dimensions["results"] as? Double == 4.7)
            // Nobody rated yet: the prior alone.
            let none = try await client.send(.get, "/v1/providers/\(world.ownProvider.id)/ratings", token: world.tokens[.staff]).object()
            #expect(none["count"] as? Int == 0 && none["score"] as? Double == 3.5 && none["average"] == nil)
        }
    }

    /// Staff hide an abusive comment once, saying why; the scores never change, not even by SQL.
    @Test func staffHideACommentButNeverTheScores() async throws {
        let world = try await World.make()
        let path = "/v1/contracts/\(world.completedA.id)/rating"
        try await withApp(on: world.endpoint) { client in
            let body = #"{"comment_hidden_reason":"Datos personales de una familia"}"#
            try await client.send(.patch, path, token: world.tokens[.community], json: body).problem(.forbidden)
            let hidden = try await client.send(.patch, path, token: world.tokens[.staff], json: body).object()
            #expect(hidden["comment"] == nil && hidden["comment_hidden_reason"] as? String == "Datos personales de una familia")
            #expect(hidden["technical"] as? Int == 4 && hidden["communication"] as? Int == 5)
            try await client.send(.patch, path, token: world.tokens[.staff], json: body).problem(.conflict)
            #expect(try await client.send(.get, path, token: world.tokens[.community]).object()["comment"] == nil)
        }
        for statement in ["UPDATE ratings SET technical = 1", "UPDATE ratings SET comment_hidden_reason = NULL", "DELETE FROM ratings"] {
            await #expect(throws: (any Error).self, "\(statement)") { _ = try await world.count(PostgresQuery(unsafeSQL: statement)) }
        }
        #expect(try await world.count("SELECT technical::int FROM ratings WHERE contract_id = \(world.completedA.id)") == 4)
    }

    /// Families served: said on the request, carried into its contract unless the contract says otherwise.
    @Test func familiesGoFromTheRequestIntoTheContract() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        try await withApp(on: world.endpoint) { client in
            let request = try await client.send(
                .post, "/v1/requests", token: community,
                json: """
                    {"title":"Riego para 40 familias","skills":["camelids.fibre"],"languages":["quz"],"ubigeo":"081206",
                     "starts_on":"2027-08-01","ends_on":"2027-08-31","budget_cents":200000,"families":40}
                    """
            ).object()
            #expect(request["families"] as? Int == 40)
            let funding = #"[{"source_organization_id":"\#(world.communityA.id)","kind":"counterpart_cash","amount_cents":200000}]"#
            let carried = try await client.send(
                .post, "/v1/contracts", token: community,
                json: #"{"request_id":"\#(request["id"]!)","provider_id":"\#(world.publishedProvider.id)","funding":\#(funding)}"#
            ).object()
            #expect(carried["families"] as? Int == 40)
            let said = try await client.send(
                .post, "/v1/contracts", token: community,
                json: #"{"request_id":"\#(request["id"]!)","provider_id":"\#(world.publishedProvider.id)","#
                    + #""families":35,"funding":\#(funding)}"#
            ).object()
            #expect(said["families"] as? Int == 35)
            try await client.send(
                .post, "/v1/requests", token: community,
                json: """
                    {"title":"Riego","skills":["water"],"languages":["quz"],"ubigeo":"081206","starts_on":"2027-08-01",
                     "ends_on":"2027-08-31","budget_cents":1,"families":0}
                    """
            ).problem(.unprocessableContent)
        }
    }
}
