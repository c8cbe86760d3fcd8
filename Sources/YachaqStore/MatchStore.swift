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
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Best first, ties by provider id, ranked by the SQL function `match_shortlist` (its
    /// comment in SQL/0006 gives the hard rules and the index) with the weights and
    /// constants of `YachaqDomain`; the domain then writes the reasons.
    public func shortlist(request id: UUID, limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard) async throws -> [Match] {
        try await database.withConnection { connection in
            let rows = try await connection.query(Self.rankingQuery(request: id, limit: limit, weights: weights), logger: logger)
            var facts: [(UUID, MatchFacts)] = []
            for try await row in rows.decode((UUID, String, Bool, Double, [String], [String], String, Int, Bool, Int, Double, Int, Int64, Int64, Bool, String?,
                                              Double, Double, Double, Double, Double, Double, Double, Double, Double).self) {
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

    /// The ranking alone, as the benchmark also runs it.
    public static func rankingQuery(request id: UUID, limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard) -> PostgresQuery {
        let w = MatchFactor.allCases.map { weights[$0] ?? 0 }
        return """
            SELECT * FROM match_shortlist(\(id), \(w), \(limit)::int, \(MatchRules.otherVarietyFactor),
                                          \(MatchRules.distanceScaleKm), \(MatchRules.experienceHalfPoint), \(RatingPrior.mean), \(RatingPrior.strength))
            """
    }

    /// The same call as a pgbench script line, with `:request` left for pgbench to fill.
    public static func pgbenchCall(limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard) -> String {
        let w = MatchFactor.allCases.map { String(weights[$0] ?? 0) }.joined(separator: ",")
        return "SELECT * FROM match_shortlist(:request::uuid, ARRAY[\(w)]::float8[], \(limit), \(MatchRules.otherVarietyFactor), "
            + "\(MatchRules.distanceScaleKm), \(MatchRules.experienceHalfPoint), \(RatingPrior.mean), \(RatingPrior.strength));"
    }
}
