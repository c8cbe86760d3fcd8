import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// The list of providers to look at, each flag made on purpose: a low score, a recent
/// termination, an expired certificate with no replacement, an active provider idle for a year.
@Suite struct NeedsALookTests {
    typealias JSON = [String: Any]

    @Test func eachFlagAndOnlyThose() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let listed = try await withApp(on: world.endpoint) { client in
            func contract(_ provider: UUID, from: String, to: String, through steps: [String]) async throws -> String {
                let body = ContractRoutesTests.directContract(world, provider: provider, from: from, to: to)
                let id = try #require(try await client.send(.post, "/v1/contracts", token: staff, json: body).object()["id"] as? String)
                for step in steps {
                    let reason = step == "terminated" ? #","reason":"No volvió"# + "\"" : ""
                    #expect(
                        try await client.send(.post, "/v1/contracts/\(id)/transitions", token: staff, json: #"{"to":"\#(step)"\#(reason)}"#)
                            .status == .ok)
                }
                return id
            }
            // Unpublished provider: three ratings of 1 → score (5 × 3.5 + 3) ÷ 8 = 2.6.
            for month in ["01", "02", "03"] {
                let id = try await contract(
                    world.unpublishedProvider.id, from: "2026-\(month)-01", to: "2026-\(month)-20",
                    through: ["signed", "active", "completed"])
                _ = try await client.send(
                    .post, "/v1/contracts/\(id)/rating", token: world.tokens[.community],
                    json: #"{"technical":1,"communication":1,"punctuality":1,"results":1}"#)
            }
            // Published provider: a termination now, and a certificate expired without a successor.
            _ = try await contract(
                world.publishedProvider.id, from: "2027-09-01", to: "2027-09-30", through: ["signed", "active", "terminated"])
            _ = try await client.send(
                .post, "/v1/providers/\(world.publishedProvider.id)/certifications", token: staff,
                json:
                    #"{"skill":"camelids.fibre","certifier_organization_id":"\#(world.agency.id)","#
                    + #""issued_on":"2019-01-01","valid_until":"2021-01-01"}"#
            )
            // The provider user's profile: its only contract started in 2024.
            _ = try await contract(world.ownProvider.id, from: "2024-04-01", to: "2024-04-30", through: ["signed", "active", "completed"])
            let first = try await client.send(.get, "/v1/reports/needs-look?limit=2", token: staff).object()
            var items = try #require(first["items"] as? [JSON])
            let cursor = try #require(first["next_cursor"] as? String)
            items += try await client.send(.get, "/v1/reports/needs-look?limit=2&cursor=\(cursor)", token: staff).items()
            try await client.send(.get, "/v1/reports/needs-look", token: world.tokens[.community]).problem(.forbidden)
            return items.map { item in
                "\(item["full_name"] ?? ""): " + ((item["reasons"] as? [JSON]) ?? []).map { "\($0["code"] ?? "")" }.joined(separator: ",")
            }
        }
        #expect(
            listed == [
                "Eusebia Quispe Mamani: expired_certification,termination", "Justina Layme Pari: low_score", "Sabina Ccama Huillca: idle",
            ])
    }
}
