import Foundation
import PostgresNIO
import YachaqDomain

/// The providers the review flags (`LookReason`), by name, in keyset pages.
public struct NeedsALookStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func list(after cursor: String?, limit: Int) async throws -> Page<ProviderNeedingALook> {
        let after = try Cursor.parts(of: cursor, count: 2) { parts in UUID(uuidString: parts[1]) != nil }
        var statement = SQLText()
        // The score is the shortlist's: the same prior (`RatingPrior`), the same per-rating means.
        statement.append(
            """
            WITH reasons (provider_id, code, detail) AS (
                SELECT provider_id, 'low_score', format('score %s over %s ratings', round(score::numeric, 1), n)
                FROM (SELECT provider_id, count(*) AS n,
                             ({}::float8 * {}::float8 + sum((technical + communication + punctuality + results) / 4.0))
                                 / ({}::float8 + count(*)) AS score
                      FROM ratings GROUP BY provider_id) s
                WHERE score < {}::float8
                UNION ALL
                SELECT c.provider_id, 'termination',
                       format('contract %s terminated on %s: %s', c.id, t.at::date, coalesce(t.reason, ''))
                FROM contract_transitions t JOIN contracts c ON c.id = t.contract_id
                WHERE t.to_status = 'terminated' AND t.at > now() - make_interval(days => {}::int)
                UNION ALL
                SELECT provider_id, 'expired_certification', format('%s expired on %s', skill_code, valid_until)
                FROM certifications x
                WHERE valid_until < current_date AND NOT EXISTS (
                    SELECT 1 FROM certifications y WHERE y.provider_id = x.provider_id AND y.skill_code = x.skill_code
                      AND (y.valid_until IS NULL OR y.valid_until >= current_date))
                UNION ALL
                SELECT c.provider_id, 'idle', format('last contract started on %s', max(lower(c.period)))
                FROM contracts c JOIN providers p ON p.id = c.provider_id
                WHERE p.status = 'active' AND c.\(ScorecardStore.contracted)
                GROUP BY c.provider_id HAVING max(lower(c.period)) < current_date - {}::int
            )
            SELECT p.id, p.name_key, p.full_name, p.status,
                   jsonb_agg(jsonb_build_object('code', r.code, 'detail', r.detail) ORDER BY r.code, r.detail)::text AS reasons
            FROM reasons r JOIN providers p ON p.id = r.provider_id
            """, RatingPrior.strength, RatingPrior.mean, RatingPrior.strength, NeedsALook.lowScore, NeedsALook.recentDays,
            NeedsALook.recentDays)
        if let after { statement.append(" WHERE (p.name_key, p.id) > ({}, {}::uuid)", after[0], after[1]) }
        statement.append(" GROUP BY p.id ORDER BY p.name_key, p.id LIMIT {}", limit + 1)
        let rows = try await database.readingQuery(statement.query, logger: logger).records { row in
            let reasons = try JSONCoding.decoder.decode(
                [ProviderNeedingALook.Flag].self, from: Data(try row.value("reasons", as: String.self).utf8))
            return (
                key: try row.value("name_key", as: String.self),
                item: ProviderNeedingALook(
                    providerID: try row.value("id"), fullName: try row.value("full_name"), status: try row.value("status"), reasons: reasons
                )
            )
        }
        let fetched = FetchedPage(rows, limit: limit) { [$0.key, $0.item.providerID.lowercased] }
        return fetched.page(fetched.rows.map(\.item))
    }
}
