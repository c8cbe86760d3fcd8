import Foundation
import PostgresNIO
import Testing
import YachaqDomain
import YachaqTestSupport
@testable import YachaqStore

/// The narrow rows matching reads (SQL/0006): where they say a provider can work, and that
/// they follow the registry whatever the timing of its writers.
@Suite struct MatchProfileTests {
    /// For a sample of homes and radii, every district within the radius lies in one of the
    /// home's reach cells: the index may over-select (the distance is checked after) but
    /// must never miss anyone.
    @Test func reachCellsCoverEveryDistrictWithinTheRadius() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let rows = try await client.query(
                """
                WITH points AS (
                    SELECT ubigeo, latitude, longitude, ll_to_earth(latitude, longitude) AS point, reach_cell(latitude, longitude) AS cell
                    FROM districts
                ), reaches AS MATERIALIZED ( -- each reach computed once, not once per district
                    SELECT h.point, r.km, reach_cells(h.latitude, h.longitude, r.km) AS cells
                    FROM points h, unnest(ARRAY[0, 20, 75, 120, 250, 300]) AS r (km)
                    WHERE h.ubigeo::int % 20 = 1
                ), pairs AS (
                    SELECT x.km, x.cells, d.cell, x.point AS home, d.point, great_circle_km(x.point, d.point) AS apart
                    FROM reaches x, points d
                )
                SELECT count(*) FILTER (WHERE apart <= km AND NOT (cell = ANY (cells) OR 'cell:wide' = ANY (cells)))::int,
                       count(*) FILTER (WHERE apart <= km)::int,
                       max(abs(apart * 1000 - earth_distance(home, point))) FILTER (WHERE km = 300)::float8
                FROM pairs
                """
            ).collect()
            let (missed, pairs, worstMetres) = try rows[0].decode((Int, Int, Double).self)
            #expect(pairs > 5_000)  // the sample is not empty
            #expect(missed == 0)
            #expect(worstMetres < 0.01)  // great_circle_km is earth_distance, inlined
        }
    }

    /// Four writers add a skill each to one provider at once, each holding its transaction
    /// open a while: the profile ends with all four. (Without the queue that the primary key
    /// of match_profiles_stale makes, each writer computes from a snapshot without the others.)
    @Test func concurrentWritersOfOneProviderLoseNothing() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let provider = try await ProviderStoreTests.Registry(client).add("Rosa Quispe", skills: ["water.sprinkler"])
            let added = ["camelids.fibre", "crops.native_potato", "livestock.animal_health", "business.plans"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for skill in added {
                    group.addTask {
                        try await client.withTransaction(logger: TestDatabase.logger) { connection in
                            try await connection.query(
                                """
                                INSERT INTO provider_skills (provider_id, skill_code, level, years) VALUES (\(provider.id), \(skill), 2, 1)
                                """,
                                logger: TestDatabase.logger)
                            try await connection.query("SELECT pg_sleep(0.2)", logger: TestDatabase.logger)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let keys = try await client.query("SELECT keys FROM match_profiles WHERE provider_id = \(provider.id)").collect()[0].decode(
                [String].self)
            for skill in added + ["water.sprinkler"] {
                #expect(keys.contains("skill:\(skill)"))
            }
        }
    }

    @Test func aProfileLeavesWithItsProviderAndComesBack() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let registry = ProviderStoreTests.Registry(client)
            let provider = try await registry.add("Rosa Quispe")
            func profiles() async throws -> Int {
                try await client.query("SELECT count(*)::int FROM match_profiles WHERE provider_id = \(provider.id)").collect()[0].decode(
                    Int.self)
            }
            #expect(try await profiles() == 1)
            _ = try await registry.update(provider.id) { $0.consentToPublish = false }
            #expect(try await profiles() == 0)
            _ = try await registry.update(provider.id) { $0.consentToPublish = true }
            #expect(try await profiles() == 1)
            _ = try await registry.update(provider.id) { $0.status = "inactive" }
            #expect(try await profiles() == 0)
        }
    }
}
