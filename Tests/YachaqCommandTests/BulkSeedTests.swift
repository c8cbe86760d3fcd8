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
}
