import Foundation
import PostgresNIO
import Testing
import YachaqSeed
import YachaqStore
import YachaqTestSupport

/// `yachaq seed --providers N` writes with COPY past the stores' checks: what it writes must
/// still satisfy every constraint of the schema (the funding that adds up is checked only at
/// COMMIT), and matching must see it.
@Suite struct BulkSeedTests {
    @Test func theBenchmarkRegistrySatisfiesTheSchema() async throws {
        let endpoint = try await TestDatabase.fresh()
        try await TestDatabase.withClient(endpoint) { database in
            let total = try await BulkSeed(database: database, logger: TestDatabase.logger).providers(500, seed: 7)
            #expect(total == 500)
            func count(_ query: PostgresQuery) async throws -> Int {
                try await database.query(query).collect().first?.decode(Int.self) ?? -1
            }
            #expect(try await count("SELECT count(*) FROM contracts") > 0)
            #expect(
                try await count(
                    """
                    SELECT count(*) FROM contracts c
                    WHERE c.amount_cents <> (SELECT sum(amount_cents) FROM contract_funding WHERE contract_id = c.id)
                    """) == 0)
            #expect(try await count("SELECT count(*) FROM match_profiles") > 0)
        }
    }

    /// The market seeder copies with triggers off: what the triggers would keep must hold all
    /// the same (funding adds up, paid totals are the payments' sums, states are explained by
    /// transitions, ratings only of ended work), and matching must see the completed work.
    @Test func theMarketSeedKeepsEveryInvariantTheTriggersWould() async throws {
        let endpoint = try await TestDatabase.fresh()
        try await TestDatabase.withClient(endpoint) { database in
            _ = try await BulkSeed(database: database, logger: TestDatabase.logger).providers(300, seed: 11)
            let before = try await database.query("SELECT count(*)::int FROM contracts").collect().first?.decode(Int.self) ?? 0
            let total = try await MarketSeed(database: database, logger: TestDatabase.logger).contracts(3_000, seed: 5)
            #expect(total == before + 3_000)
            func count(_ query: PostgresQuery) async throws -> Int {
                try await database.query(query).collect().first?.decode(Int.self) ?? -1
            }
            let broken: [(String, PostgresQuery)] = [
                (
                    "funding",
                    """
                    SELECT count(*)::int FROM contracts c
                    WHERE amount_cents <> (SELECT sum(amount_cents) FROM contract_funding WHERE contract_id = c.id)
                    """
                ),
                (
                    "paid",
                    """
                    SELECT count(*)::int FROM contracts c
                    WHERE paid_cents <> (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE contract_id = c.id)
                    """
                ),
                (
                    "line paid",
                    """
                    SELECT count(*)::int FROM contract_funding f
                    WHERE paid_cents <> (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE funding_id = f.id)
                    """
                ),
                ("over", "SELECT count(*)::int FROM contract_funding WHERE paid_cents > amount_cents"),
                (
                    "state",
                    """
                    SELECT count(*)::int FROM contracts c
                    WHERE status <> (SELECT to_status FROM contract_transitions WHERE contract_id = c.id ORDER BY id DESC LIMIT 1)
                      AND EXISTS (SELECT 1 FROM contract_transitions WHERE contract_id = c.id)
                    """
                ),
                (
                    "rated",
                    """
                    SELECT count(*)::int FROM ratings r JOIN contracts c ON c.id = r.contract_id
                    WHERE c.status NOT IN ('completed', 'terminated') AND c.title = 'Trabajo de referencia'
                    """
                ),
            ]
            for (name, query) in broken { #expect(try await count(query) == 0, "\(name)") }
            #expect(try await count("SELECT count(*)::int FROM payments") > 3_000)
            #expect(try await count("SELECT coalesce(sum(completed), 0)::int FROM match_profiles") > 1_000)
        }
    }
}
