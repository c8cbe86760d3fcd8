import Foundation
import PostgresNIO
import YachaqDomain

/// One entry of a shortlist: the provider (public fields), its score and why.
public struct Match: Sendable, Encodable {
    public var provider: Provider
    public var score: Double
    public var reasons: [MatchReason]
    public var distanceKm: Double
}

/// The explained shortlist of a request, ranked in PostgreSQL over the whole registry.
public struct MatchStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Best first, ties by provider id. Hard rules (in `candidates`): active and published;
    /// at least one required skill; a required language (or, for a variety, its siblings)
    /// spoken at level ≥ 2; the work within the provider's own travel radius; not booked on
    /// a signed or running exclusive contract whose days overlap the request's. Each factor
    /// is valued 0…1 as `MatchFactor` documents; the weights and constants come from
    /// `MatchWeights` / `MatchRules` / `RatingPrior` as parameters.
    ///
    /// The first cut is a GiST box of the largest travel radius around the work
    /// (`providers_home_point`); each provider's own radius, skills (`provider_skills` primary
    /// key), languages and bookings (`contracts_provider`) are then probed per candidate.
    public func shortlist(request id: UUID, limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard) async throws -> [Match] {
        let w = MatchFactor.allCases.map { weights[$0] ?? 0 }
        return try await client.withConnection { connection in
            let rows = try await connection.query("""
                WITH req AS (
                    SELECT id, work_point, period, budget_cents, must_live_in_community, preferred_gender,
                           upper(period) - lower(period) AS days
                    FROM service_requests WHERE id = \(id)
                ), wanted_skills AS (
                    SELECT skill_code FROM request_skills WHERE request_id = \(id)
                ), wanted_languages AS (
                    -- The codes that satisfy a wanted language and whether each is what was asked:
                    -- the code itself and, for a macrolanguage, its varieties (exact: "que" asks for
                    -- any Quechua); for a variety, its macrolanguage and sibling varieties (not exact).
                    SELECT l.code, bool_or(l.code = w.code OR l.macrolanguage = w.code) AS exact
                    FROM request_languages rl
                    JOIN languages w ON w.code = rl.language_code
                    JOIN languages l ON l.code = w.code OR l.macrolanguage = w.code
                                     OR (w.macrolanguage IS NOT NULL AND (l.code = w.macrolanguage OR l.macrolanguage = w.macrolanguage))
                    WHERE rl.request_id = \(id)
                    GROUP BY l.code
                ), candidates AS (
                    SELECT p.id, p.gender, p.daily_rate_cents, p.will_live_in_community,
                           earth_distance(p.home_point, req.work_point) / 1000.0 AS distance_km
                    FROM req JOIN providers p
                      ON earth_box(req.work_point, (SELECT max(travel_radius_km) FROM providers) * 1000.0) @> p.home_point
                    WHERE p.status = 'active' AND p.consent_to_publish
                      AND earth_distance(p.home_point, req.work_point) <= p.travel_radius_km * 1000.0
                      AND EXISTS (SELECT 1 FROM provider_skills ps JOIN wanted_skills ws
                                  ON ps.skill_code = ws.skill_code OR ps.skill_code LIKE ws.skill_code || '.%' WHERE ps.provider_id = p.id)
                      AND EXISTS (SELECT 1 FROM provider_languages pl JOIN wanted_languages wl ON wl.code = pl.language_code
                                  WHERE pl.provider_id = p.id AND pl.speaking >= \(MatchRules.minimumSpeaking))
                      AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.provider_id = p.id AND c.exclusive
                                      AND c.status IN ('signed', 'active') AND c.period && req.period)
                ), valued AS (
                    SELECT c.*, skills.value AS skills_value, skills.covered, skills.missing,
                           lang.code AS best_language, lang.speaking AS best_speaking, lang.exact, lang.value AS language_value,
                           greatest(0.0, 1.0 - c.distance_km / \(MatchRules.distanceScaleKm)) AS distance_value,
                           coalesce(r.n, 0)::int AS rating_count,
                           (\(RatingPrior.strength) * \(RatingPrior.mean) + coalesce(r.total, 0)) / (\(RatingPrior.strength) + coalesce(r.n, 0)) AS rating_average,
                           coalesce(done.n, 0)::int AS completed,
                           c.daily_rate_cents * req.days AS cost_cents, req.budget_cents, req.must_live_in_community, req.preferred_gender
                    FROM candidates c CROSS JOIN req
                    CROSS JOIN LATERAL (
                        SELECT (avg(coalesce(best.level, 0)) / 4.0)::float8 AS value,
                               coalesce(array_agg(ws.skill_code ORDER BY ws.skill_code) FILTER (WHERE best.level IS NOT NULL), '{}') AS covered,
                               coalesce(array_agg(ws.skill_code ORDER BY ws.skill_code) FILTER (WHERE best.level IS NULL), '{}') AS missing
                        FROM wanted_skills ws
                        CROSS JOIN LATERAL (SELECT max(ps.level) AS level FROM provider_skills ps
                                            WHERE ps.provider_id = c.id AND (ps.skill_code = ws.skill_code OR ps.skill_code LIKE ws.skill_code || '.%')) best
                    ) skills
                    CROSS JOIN LATERAL (
                        SELECT pl.language_code AS code, pl.speaking::int AS speaking, wl.exact,
                               pl.speaking / 4.0 * CASE WHEN wl.exact THEN 1.0 ELSE \(MatchRules.otherVarietyFactor) END AS value
                        FROM provider_languages pl JOIN wanted_languages wl ON wl.code = pl.language_code
                        WHERE pl.provider_id = c.id AND pl.speaking >= \(MatchRules.minimumSpeaking)
                        ORDER BY value DESC, pl.language_code LIMIT 1
                    ) lang
                    CROSS JOIN LATERAL (SELECT count(*) AS n, sum((technical + communication + punctuality + results) / 4.0)::float8 AS total
                                        FROM ratings WHERE provider_id = c.id) r
                    CROSS JOIN LATERAL (SELECT count(*) AS n FROM contracts WHERE provider_id = c.id AND status = 'completed') done
                ), scored AS (
                    SELECT v.*,
                           (v.rating_average - 1.0) / 4.0 AS rating_value,
                           v.completed / (v.completed + \(MatchRules.experienceHalfPoint)) AS experience_value,
                           CASE WHEN v.cost_cents <= v.budget_cents THEN 1.0 ELSE v.budget_cents::float8 / v.cost_cents END AS cost_value,
                           CASE WHEN NOT v.must_live_in_community OR v.will_live_in_community THEN 1.0 ELSE 0.0 END AS live_in_value,
                           CASE WHEN v.preferred_gender IS NULL OR v.preferred_gender = v.gender THEN 1.0 ELSE 0.0 END AS gender_value
                    FROM valued v
                )
                SELECT id, gender, will_live_in_community, distance_km::float8, covered, missing, best_language, best_speaking, exact,
                       rating_count, rating_average::float8, completed, cost_cents, budget_cents, must_live_in_community, preferred_gender,
                       skills_value::float8, language_value::float8, distance_value::float8, rating_value::float8, experience_value::float8,
                       cost_value::float8, live_in_value::float8, gender_value::float8
                FROM scored
                ORDER BY 100 * (\(w[0]) * skills_value + \(w[1]) * language_value + \(w[2]) * distance_value + \(w[3]) * rating_value
                               + \(w[4]) * experience_value + \(w[5]) * cost_value + \(w[6]) * live_in_value + \(w[7]) * gender_value) DESC, id
                LIMIT \(limit)
                """, logger: logger)
            var facts: [(UUID, MatchFacts)] = []
            for try await row in rows.decode((UUID, String, Bool, Double, [String], [String], String, Int, Bool, Int, Double, Int, Int64, Int64, Bool, String?,
                                              Double, Double, Double, Double, Double, Double, Double, Double).self) {
                let values = Dictionary(uniqueKeysWithValues: zip(MatchFactor.allCases, [row.16, row.17, row.18, row.19, row.20, row.21, row.22, row.23]))
                facts.append((row.0, MatchFacts(
                    values: values, coveredSkills: row.4, missingSkills: row.5, bestLanguage: row.6, bestSpeaking: row.7, exactVariety: row.8,
                    distanceKm: row.3, ratingCount: row.9, ratingAverage: row.10, completedContracts: row.11, costCents: row.12, budgetCents: row.13,
                    mustLiveInCommunity: row.14, willLiveInCommunity: row.2, preferredGender: row.15.flatMap(Gender.init(rawValue:)), gender: Gender(rawValue: row.1)!
                )))
            }
            let providers = try await ProviderStore.load(facts.map(\.0), on: connection, logger: logger)
            return zip(facts, providers).map { fact, provider in
                let explained = MatchExplanation.explain(fact.1, weights: weights)
                return Match(provider: provider.withoutPrivateFields, score: explained.score, reasons: explained.reasons, distanceKm: fact.1.distanceKm)
            }
        }
    }
}
