import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqDomain
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// The indicators on World's small market, counted by hand. Cusco (district 081206, province
/// Quispicanchi): three talents at home there, all female yachachiq; community A's signed
/// contract (S/ 2,100 public transfer + S/ 900 community cash, May 2027) and its completed one
/// (S/ 3,000 community cash, May 2026, rated 4, 5, 4, 4), both with the published provider;
/// request A, open. Puno: community B's draft contract and request B.
@Suite struct IndicatorRoutesTests {
    typealias JSON = [String: Any]

    static func keyed(_ value: Any?, _ field: String = "count") -> [String: Int] {
        Dictionary(
            uniqueKeysWithValues: (value as? [JSON] ?? []).compactMap { item in
                (item["key"] as? String).map { ($0, item[field] as? Int ?? -1) }
            })
    }

    @Test func theFiguresMatchAHandCount() async throws {
        let world = try await World.make()
        let bodies = try await withApp(on: world.endpoint) { client in
            var bodies: [String: ByteBuffer] = [:]
            for query in ["department=Cusco", "province=quispicanchi", "district=081206", "", "department=cusco&from=2027-01-01"] {
                bodies[query] = try await client.send(.get, "/v1/reports/indicators?\(query)", token: world.tokens[.staff]).body
            }
            try await client.send(.get, "/v1/reports/indicators?department=Narnia", token: world.tokens[.staff])
                .problem(.unprocessableContent)
            let csv = try await client.send(.get, "/v1/reports/indicators.csv?department=Cusco", token: world.tokens[.staff])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            bodies["csv"] = csv.body
            return bodies
        }
        func figures(_ query: String) throws -> JSON {
            let body = try #require(bodies[query])
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? JSON)
        }
        for query in ["department=Cusco", "province=quispicanchi", "district=081206"] {
            let cusco = try figures(query)
            #expect(cusco["talents_registered"] as? Int == 3, "\(query)")
            #expect(Self.keyed(cusco["talents_registered_by_kind"]) == ["yachachiq": 3])
            #expect(Self.keyed(cusco["talents_registered_by_gender"]) == ["female": 3])
            #expect(cusco["talents_contracted"] as? Int == 1)
            #expect(Self.keyed(cusco["contracts_by_status"], "contracts") == ["signed": 1, "completed": 1])
            #expect(Self.keyed(cusco["contracts_by_status"], "amount_cents") == ["signed": 300_000, "completed": 300_000])
            #expect(Self.keyed(cusco["contracts_by_buyer_kind"], "amount_cents") == ["community": 600_000])
            let funding = Dictionary(
                uniqueKeysWithValues: (cusco["funding"] as? [JSON] ?? []).map {
                    ($0["kind"] as? String ?? "", $0["funded_cents"] as? Int ?? -1)
                })
            #expect(funding == ["public_transfer": 210_000, "counterpart_cash": 390_000])
            #expect(cusco["counterpart_leverage"] as? Double == 1.86)  // 390,000 ÷ 210,000
            #expect(cusco["ratings"] as? Int == 1 && cusco["average_rating"] as? Double == 4.25)
            #expect(Self.keyed(cusco["requests_by_status"]) == ["open": 1])
            #expect(cusco["median_days_to_contract"] == nil)
            #expect(cusco["hired_again_share"] as? Double == 1.0)  // the published provider, twice
            #expect(cusco["families_served"] as? Int == 0 && cusco["amount_per_family_cents"] == nil)
            #expect(Self.keyed(cusco["work_by_buyer_kind"]) == ["community": 1])
        }
        let country = try figures("")
        #expect(Self.keyed(country["contracts_by_status"], "contracts") == ["draft": 1, "signed": 1, "completed": 1])
        #expect(Self.keyed(country["requests_by_status"]) == ["open": 2])
        let since2027 = try figures("department=cusco&from=2027-01-01")
        #expect(since2027["talents_contracted"] as? Int == 1 && since2027["hired_again_share"] as? Double == 0.0)
        #expect(since2027["ratings"] as? Int == 0 && since2027["average_rating"] == nil)
        let csv = String(buffer: try #require(bodies["csv"]))
        #expect(csv.hasPrefix("\u{FEFF}figure,breakdown,value\n"))
        #expect(csv.contains("\ncounterpart_leverage,,1.86\n") && csv.contains("\ntalents_registered,kind=yachachiq,3\n"))
    }

    /// Families and the amount per family: a completed contract of September 2027 in Cusco (S/ 1,000,
    /// 40 families), alone in its period: 40 families, S/ 25 each; one talent, hired once there.
    @Test func familiesServedAndTheAmountPerFamily() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let body = try await withApp(on: world.endpoint) { client in
            let id = try await RatingRoutesTests.contract(
                client, world, provider: world.publishedProvider.id, through: ["signed", "active", "completed"], families: 40)
            #expect(!id.isEmpty)
            return try await client.send(.get, "/v1/reports/indicators?department=Cusco&from=2027-09-01", token: staff).body
        }
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? JSON)
        #expect(figures["families_served"] as? Int == 40 && figures["amount_per_family_cents"] as? Int == 2_500)
        #expect(figures["talents_contracted"] as? Int == 1 && figures["hired_again_share"] as? Double == 0.0)
    }

    /// A scope slow to compute is answered from its kept figures, even after a change, until
    /// they are older than `refreshAfter`; then the kept figures are answered once more while
    /// they are recomputed, and the next answer has the change. A fast scope is never kept.
    @Test func slowScopesAreKeptAndRecomputedInTheBackground() async throws {
        let world = try await World.make()
        let cusco = IndicatorScope(department: "Cusco")
        try await TestDatabase.withClient(world.endpoint) { database in
            let logger = TestDatabase.logger
            let keepAll = IndicatorStore(
                database: database, logger: logger, keeping: .init(slowerThan: .zero, refreshAfter: .seconds(3600)))
            let kept = try await keepAll.indicators(cusco)
            #expect(Self.counts(kept.talentsRegisteredByGender) == ["female": 3])
            try await database.query("UPDATE providers SET gender = 'male' WHERE home_ubigeo = '081206'")

            let again = try await keepAll.indicators(cusco)
            #expect(again == kept)  // the kept figures, as_of and all

            let refreshing = IndicatorStore(database: database, logger: logger, keeping: .init(slowerThan: .zero, refreshAfter: .zero))
            #expect(try await refreshing.indicators(cusco) == kept)  // answered at once, recomputed behind
            let recomputed = try await eventually {
                let fresh = try await keepAll.indicators(cusco)
                return Self.counts(fresh.talentsRegisteredByGender) == ["male": 3] && fresh.asOf >= kept.asOf
            }
            #expect(recomputed, "the kept figures were recomputed in the background")

            // The kept row took less than an hour: a store that keeps only scopes slower than that
            // computes anew, and keeps nothing. (Not the default second: a loaded machine may be slower.)
            try await database.query("UPDATE providers SET gender = 'female' WHERE home_ubigeo = '081206'")
            let live = try await IndicatorStore(database: database, logger: logger, keeping: .init(slowerThan: .seconds(3600)))
                .indicators(cusco)
            #expect(Self.counts(live.talentsRegisteredByGender) == ["female": 3])
            #expect(Self.counts(try await keepAll.indicators(cusco).talentsRegisteredByGender) == ["male": 3])  // still kept
            // Kept figures older than `answeredUpTo` are computed before the answer.
            let tooOld = IndicatorStore(
                database: database, logger: logger, keeping: .init(slowerThan: .zero, refreshAfter: .seconds(3600), answeredUpTo: .zero))
            #expect(Self.counts(try await tooOld.indicators(cusco).talentsRegisteredByGender) == ["female": 3])
        }
    }

    static func counts(_ counts: [Indicators.Count]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key, $0.count) })
    }

    /// The median days from a request's posting to the signing of its first contract: request
    /// A, posted ten days ago (moved back here), its selected application made a contract and
    /// signed now. Counted by the request's place and posting date.
    @Test func theMedianDaysFromARequestToItsSignedContract() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        try await TestDatabase.withClient(world.endpoint) { database in
            _ = try await database.query(
                "UPDATE service_requests SET created_at = now() - interval '10 days' WHERE id = \(world.requestA.id)")
        }
        let figures = try await withApp(on: world.endpoint) { client in
            _ = try await client.send(
                .patch, "/v1/applications/\(world.applicationA.id)", token: community, json: #"{"status":"selected"}"#)
            let created = try await client.send(
                .post, "/v1/contracts", token: community,
                json: """
                    {"application_id":"\(world.applicationA.id)","scope":"Esquila",
                     "funding":[{"source_organization_id":"\(world.communityA.id)","kind":"counterpart_cash","amount_cents":500000}]}
                    """)
            let id = try #require(try created.object()["id"] as? String, "\(String(buffer: created.body))")
            let signed = try await client.send(.post, "/v1/contracts/\(id)/transitions", token: community, json: #"{"to":"signed"}"#)
            #expect(signed.status == .ok, "\(String(buffer: signed.body))")
            var bodies: [String: ByteBuffer] = [:]
            for query in ["department=Cusco", "department=Puno", "department=Cusco&from=2100-01-01"] {
                bodies[query] = try await client.send(.get, "/v1/reports/indicators?\(query)", token: world.tokens[.staff]).body
            }
            return bodies
        }
        func median(_ query: String) throws -> Any? {
            let body = try #require(figures[query])
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? JSON)["median_days_to_contract"]
        }
        #expect(try median("department=Cusco") as? Double == 10.0)
        #expect(try median("department=Puno") == nil)
        #expect(try median("department=Cusco&from=2100-01-01") == nil)
    }
}
