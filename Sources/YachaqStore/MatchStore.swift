import Foundation
import Metrics
import PostgresNIO
import YachaqDomain

/// One entry of a shortlist: the provider (public fields), its score and why.
public struct Match: Sendable, Encodable {
    public var provider: Provider
    public var score: Double
    public var reasons: [MatchReason]
    public var distanceKm: Double

    public init(provider: Provider, score: Double, reasons: [MatchReason], distanceKm: Double) {
        self.provider = provider
        self.score = score
        self.reasons = reasons
        self.distanceKm = distanceKm
    }

    /// `score` and `distance_km` to 0.1, as people read them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(provider, forKey: .provider)
        try container.encode(score.rounded(toPlaces: 1), forKey: .score)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(distanceKm.rounded(toPlaces: 1), forKey: .distanceKm)
    }

    private enum CodingKeys: String, CodingKey { case provider, score, reasons, distanceKm }
}

/// The explained shortlist of a request, ranked in PostgreSQL over the whole registry.
public struct MatchStore: Sendable {
    let database: Database
    let logger: Logger
    /// `yachaq_shortlist_seconds` on /metrics; made with the store, after the metrics system starts.
    let latency = Metrics.Timer(label: "yachaq_shortlist_seconds", preferredDisplayUnit: .seconds)

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Best first, ties by provider id, ranked by the SQL function `match_shortlist` (its
    /// comment in SQL/0006 gives the hard rules and the index) with the weights and
    /// constants of `YachaqDomain`; the domain then writes the reasons. The ranking and the
    /// profiles are one statement; `authorize`, given the request's organisation, decides
    /// first, on the same connection, whether the caller may see it.
    public func shortlist(
        request id: UUID, limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard,
        authorize: (@Sendable (_ organizationID: UUID) throws -> Void)? = nil
    ) async throws -> [Match] {
        let started = ContinuousClock.now
        defer { latency.recordNanoseconds((ContinuousClock.now - started).saturating(per: 1_000_000_000)) }
        return try await database.reading { connection in
            if let authorize {
                let owner = try await connection.run("SELECT organization_id FROM service_requests WHERE id = \(id)", logger: logger)
                    .records { try $0.value("organization_id", as: UUID.self) }
                guard let organization = owner.first else { throw StoreError.notFound("No request has id \(id).") }
                try authorize(organization)
            }
            var matches: [Match] = []
            for try await row in try await connection.run(ShortlistQuery(request: id, limit: limit, weights: weights), logger: logger) {
                let explained = MatchExplanation.explain(row.facts, weights: weights)
                matches.append(
                    Match(
                        provider: row.provider.withoutPrivateFields, score: explained.score, reasons: explained.reasons,
                        distanceKm: row.facts.distanceKm))
            }
            return matches
        }
    }

    /// The ranking with each profile beside it, best first; prepared once per connection.
    struct ShortlistQuery: PostgresPreparedStatement {
        typealias Row = (facts: MatchFacts, provider: Provider)
        static let sql = """
            SELECT m.*, p.*
            FROM match_shortlist($1, $2, $3, $4, $5, $6, $7, $8) m
            CROSS JOIN LATERAL (\(ProviderStore.profiles(where: "p.id = m.provider_id"))) p
            ORDER BY m.score DESC, m.provider_id
            """
        let request: UUID
        let limit: Int
        let weights: [MatchFactor: Double]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(request)
            bindings.append(MatchFactor.allCases.map { weights[$0] ?? 0 })
            bindings.append(Int32(clamping: limit))
            for constant in [
                MatchRules.otherVarietyFactor, MatchRules.distanceScaleKm, MatchRules.experienceHalfPoint, RatingPrior.mean,
                RatingPrior.strength,
            ] { bindings.append(constant) }
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let columns = NamedColumns(row)
            return (try MatchFacts(columns), try Provider(columns))
        }
    }

    /// The shortlist's statement unprepared, as the benchmark also runs it.
    public static func shortlistQuery(request id: UUID, limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard)
        -> PostgresQuery
    {
        let statement = ShortlistQuery(request: id, limit: limit, weights: weights)
        return PostgresQuery(unsafeSQL: ShortlistQuery.sql, binds: statement.makeBindings())
    }

    /// The shortlist's statement as a pgbench script line, with `:request` left for pgbench to
    /// fill: what the service sends, so that the two can be compared.
    public static func pgbenchCall(limit: Int, weights: [MatchFactor: Double] = MatchWeights.standard) -> String {
        let w = MatchFactor.allCases.map { String(weights[$0] ?? 0) }.joined(separator: ",")
        let arguments =
            ":request::uuid, ARRAY[\(w)]::float8[], \(limit), \(MatchRules.otherVarietyFactor), \(MatchRules.distanceScaleKm), "
            + "\(MatchRules.experienceHalfPoint), \(RatingPrior.mean), \(RatingPrior.strength)"
        return ShortlistQuery.sql.replacingOccurrences(of: "$1, $2, $3, $4, $5, $6, $7, $8", with: arguments)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") + ";"
    }
}

extension MatchFacts {
    /// A row of `match_shortlist`: each factor's value in the column `<factor>_value`.
    init(_ row: NamedColumns) throws {
        var values: [MatchFactor: Double] = [:]
        for factor in MatchFactor.allCases { values[factor] = try row.value("\(factor.rawValue)_value") }
        self.init(
            values: values, coveredSkills: try row.value("covered"), missingSkills: try row.value("missing"),
            bestLanguage: try row.value("best_language"), bestSpeaking: try row.value("best_speaking"),
            exactVariety: try row.value("exact"),
            distanceKm: try row.value("distance_km"), ratingCount: try row.value("rating_count"),
            ratingAverage: try row.value("rating_average"),
            completedContracts: try row.value("completed"), costCents: try row.value("cost_cents"),
            budgetCents: try row.value("budget_cents"),
            mustLiveInCommunity: try row.value("must_live_in_community"), willLiveInCommunity: try row.value("will_live_in_community"),
            preferredGender: try row.optional("preferred_gender"), gender: try row.value("gender")
        )
    }
}

extension Match: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.key("distance_km")
            json.double(distanceKm.rounded(toPlaces: 1))
            json.key("provider")
            provider.write(to: &json)
            json.key("reasons")
            json.array(reasons)
            json.key("score")
            json.double(score.rounded(toPlaces: 1))
        }
    }
}
