import Foundation
import PostgresNIO
import Testing
import YachaqDomain
import YachaqStore
import YachaqTestSupport

/// A search near a place for a skill and a language finds its talents through
/// `provider_search`'s keys (SQL/0019) instead of looking at their skills and languages.
/// Both must pick the same talents: for every skill and group, every language and
/// macrolanguage and every least speaking level, over talents of varied skills and levels,
/// after they were made and after they were changed.
@Suite struct ProviderSearchKeysTests {
    static let mismatches = """
        WITH asked AS (
            SELECT s.code AS skill, l.code AS language, n
            FROM skills s CROSS JOIN languages l CROSS JOIN generate_series(0, 4) n)
        SELECT count(*)::int AS n FROM asked a CROSS JOIN providers p JOIN provider_search k ON k.provider_id = p.id
        WHERE (k.keys @> ARRAY['skill:' || a.skill, 'lang:' || a.language || ':' || a.n]) IS DISTINCT FROM (
            EXISTS (SELECT 1 FROM provider_skills s WHERE s.provider_id = p.id
                    AND (s.skill_code = a.skill OR s.skill_code LIKE a.skill || '.%'))
            AND EXISTS (SELECT 1 FROM provider_languages l WHERE l.provider_id = p.id AND l.speaking >= a.n
                        AND l.language_code IN (SELECT code FROM languages WHERE code = a.language OR macrolanguage = a.language)))
        """

    @Test func theKeysFindWhatTheSkillsAndLanguagesSay() async throws {
        let world = try await World.make()
        try await TestDatabase.withClient(world.endpoint) { database in
            let skills = try await database.query("SELECT code FROM skills WHERE parent IS NOT NULL ORDER BY code").collect()
                .map { try $0.decode(String.self) }
            let languages = ["quz", "quy", "qxp", "que", "ayr", "spa", "qvc"]
            let store = ProviderStore(database: database, logger: TestDatabase.logger)
            var made: [UUID] = []
            for index in 0..<24 {
                let input = ProviderInput(
                    fullName: "Talento \(index)", kind: "yachachiq", gender: index % 2 == 0 ? "female" : "male",
                    nationalID: String(format: "%08d", 41_000_000 + index), phone: "984000111", homeUbigeo: "081206",
                    dailyRateCents: 7000, travelRadiusKm: 40,
                    languages: (0..<(index % 3 + 1)).map {
                        ProviderLanguage(
                            code: languages[(index + $0 * 3) % languages.count], speaking: (index + $0) % 5, understanding: 4,
                            reading: 2, writing: 2)
                    },
                    skills: (0..<(index % 2 + 1)).map {
                        ProviderSkill(code: skills[(index * 7 + $0 * 11) % skills.count], level: 2, years: 1)
                    },
                    consentToPublish: true)
                made.append(try await store.create(try await input.draft(on: database), actor: nil).id)
            }
            let compared = try await database.query("SELECT count(*)::int FROM provider_search").collect().first?.decode(Int.self)
            #expect(compared == 27)  // World's three and these
            #expect(try await database.query(PostgresQuery(unsafeSQL: Self.mismatches)).collect().first?.decode(Int.self) == 0)

            // Changed languages and skills (a PATCH replaces both) are keyed again at COMMIT.
            for id in made.prefix(8) {
                try await database.withTransaction(logger: TestDatabase.logger) { connection in
                    _ = try await connection.query(
                        "UPDATE provider_languages SET speaking = 4 - speaking WHERE provider_id = \(id)", logger: TestDatabase.logger)
                    _ = try await connection.query("DELETE FROM provider_skills WHERE provider_id = \(id)", logger: TestDatabase.logger)
                }
            }
            #expect(try await database.query(PostgresQuery(unsafeSQL: Self.mismatches)).collect().first?.decode(Int.self) == 0)
        }
    }
}
