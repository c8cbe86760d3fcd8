import Foundation
import PostgresNIO
import YachaqDomain

/// Staff's indicators (`Indicators`, whose comment defines each figure), computed in one
/// connection over the districts of the scope.
public struct IndicatorStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// 422 when the scope names no district.
    public func indicators(_ scope: IndicatorScope) async throws -> Indicators {
        try await database.withConnection { connection in
            let area = try await Self.area(scope, on: connection, logger: logger)
            let from = scope.from ?? "1900-01-01", to = scope.to ?? "2200-12-31"
            func counts(_ sql: String, total: Int) async throws -> [Indicators.Count] {
                try await connection.run(PostgresQuery(unsafeSQL: sql, binds: Self.binds(area, from, to)), logger: logger).records {
                    Indicators.Count(key: try $0.value("key"), count: try $0.value("count"), of: total)
                }
            }
            func amounts(_ sql: String) async throws -> [Indicators.Amount] {
                try await connection.run(PostgresQuery(unsafeSQL: sql, binds: Self.binds(area, from, to)), logger: logger).records {
                    Indicators.Amount(key: try $0.value("key"), contracts: try $0.value("contracts"), amountCents: try $0.value("amount"))
                }
            }
            func single<T: PostgresDecodable>(_ sql: String, _ column: String, as type: T.Type) async throws -> T {
                try await connection.run(PostgresQuery(unsafeSQL: sql, binds: Self.binds(area, from, to)), logger: logger)
                    .record { try $0.value(column, as: T.self) }
            }

            // $1: the area's ubigeos; $2, $3: the period.
            let registered = "SELECT kind, gender FROM providers WHERE home_ubigeo = ANY($1)"
            let contracted = """
                SELECT c.id, c.provider_id, c.organization_id, c.status, c.amount_cents, c.families, c.request_id, o.kind AS buyer_kind
                FROM contracts c JOIN organizations o ON o.id = c.organization_id
                WHERE c.ubigeo = ANY($1) AND lower(c.period) BETWEEN $2::date AND $3::date
                """
            let signed = "status IN ('signed', 'active', 'completed', 'terminated')"
            let talents =
                "SELECT DISTINCT p.id, p.kind, p.gender FROM (\(contracted)) c JOIN providers p ON p.id = c.provider_id WHERE c.\(signed)"

            let registeredCount = try await single("SELECT count(*)::int AS n FROM (\(registered)) r", "n", as: Int.self)
            let contractedCount = try await single("SELECT count(*)::int AS n FROM (\(talents)) t", "n", as: Int.self)
            let funding = try await connection.run(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT f.kind, sum(f.amount_cents)::bigint AS funded, sum(f.paid_cents)::bigint AS paid
                        FROM (\(contracted)) c JOIN contract_funding f ON f.contract_id = c.id WHERE c.\(signed)
                        GROUP BY f.kind ORDER BY f.kind
                        """, binds: Self.binds(area, from, to)), logger: logger
            ).records {
                Indicators.Funding(kind: try $0.value("kind"), fundedCents: try $0.value("funded"), paidCents: try $0.value("paid"))
            }
            let ratings = try await connection.run(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*)::int AS n, avg((r.technical + r.communication + r.punctuality + r.results) / 4.0)::float8 AS average
                        FROM (\(contracted)) c JOIN ratings r ON r.contract_id = c.id
                        """, binds: Self.binds(area, from, to)), logger: logger
            ).record { (count: try $0.value("n", as: Int.self), average: try $0.value("average", as: Double?.self)) }
            let families = try await connection.run(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT coalesce(sum(families), 0)::int AS families, coalesce(sum(amount_cents), 0)::bigint AS amount
                        FROM (\(contracted)) c WHERE status = 'completed' AND families IS NOT NULL
                        """, binds: Self.binds(area, from, to)), logger: logger
            ).record { (families: try $0.value("families", as: Int.self), amount: try $0.value("amount", as: Int64.self)) }
            return Indicators(
                scope: scope, talentsRegistered: registeredCount,
                talentsRegisteredByKind: try await counts(
                    "SELECT kind AS key, count(*)::int AS count FROM (\(registered)) r GROUP BY 1 ORDER BY 1", total: registeredCount),
                talentsRegisteredByGender: try await counts(
                    "SELECT gender AS key, count(*)::int AS count FROM (\(registered)) r GROUP BY 1 ORDER BY 1", total: registeredCount),
                talentsContracted: contractedCount,
                talentsContractedByKind: try await counts(
                    "SELECT kind AS key, count(*)::int AS count FROM (\(talents)) t GROUP BY 1 ORDER BY 1", total: contractedCount),
                talentsContractedByGender: try await counts(
                    "SELECT gender AS key, count(*)::int AS count FROM (\(talents)) t GROUP BY 1 ORDER BY 1", total: contractedCount),
                contractsByStatus: try await amounts(
                    """
                    SELECT status AS key, count(*)::int AS contracts, sum(amount_cents)::bigint AS amount
                    FROM (\(contracted)) c GROUP BY 1 ORDER BY 1
                    """),
                contractsByBuyerKind: try await amounts(
                    """
                    SELECT buyer_kind AS key, count(*)::int AS contracts, sum(amount_cents)::bigint AS amount
                    FROM (\(contracted)) c WHERE \(signed) GROUP BY 1 ORDER BY 1
                    """),
                funding: funding, ratings: ratings.count, averageRating: ratings.average,
                requestsByStatus: try await counts(
                    """
                    SELECT status AS key, count(*)::int AS count FROM service_requests
                    WHERE ubigeo = ANY($1) AND created_at::date BETWEEN $2::date AND $3::date GROUP BY 1 ORDER BY 1
                    """, total: 0),
                medianDaysToContract: try await single(
                    """
                    SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM signed_at - r.created_at) / 86400))::float8
                           AS median
                    FROM service_requests r
                    CROSS JOIN LATERAL (
                        SELECT min(t.at) AS signed_at FROM contracts c JOIN contract_transitions t ON t.contract_id = c.id
                        WHERE c.request_id = r.id AND t.to_status = 'signed') s
                    WHERE r.ubigeo = ANY($1) AND r.created_at::date BETWEEN $2::date AND $3::date AND s.signed_at IS NOT NULL
                    """, "median", as: Double?.self),
                hiredAgain: try await single(
                    """
                    SELECT count(*)::int AS n FROM (
                        SELECT provider_id FROM (\(contracted)) c WHERE \(signed) GROUP BY provider_id HAVING count(*) >= 2) again
                    """, "n", as: Int.self),
                familiesServed: families.families, amountForFamiliesCents: families.amount,
                workByBuyerKind: try await counts(
                    """
                    SELECT CASE buyer_kind WHEN 'association' THEN 'community' ELSE buyer_kind END AS key,
                           count(DISTINCT provider_id)::int AS count
                    FROM (\(contracted)) c WHERE \(signed) GROUP BY 1 ORDER BY 1
                    """, total: contractedCount))
        }
    }

    private static func binds(_ area: [String], _ from: String, _ to: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(area)
        binds.append(from)
        binds.append(to)
        return binds
    }

    /// The ubigeos of the scope's districts; 422 naming the filter when there are none.
    static func area(_ scope: IndicatorScope, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var query = FilteredQuery("SELECT ubigeo FROM districts")
        if let department = scope.department { query.filter("search_key(department) = search_key({})", department) }
        if let province = scope.province { query.filter("search_key(province) = search_key({})", province) }
        if let district = scope.district { query.filter("ubigeo = {} OR search_key(district) = search_key({})", district, district) }
        let ubigeos = try await connection.run(query.ordered(by: "ubigeo", limit: 10_000), logger: logger).records {
            try $0.value("ubigeo", as: String.self)
        }
        guard !ubigeos.isEmpty else {
            let field = scope.district != nil ? "district" : scope.province != nil ? "province" : "department"
            throw InvalidInput(field: field, "no district of Peru is in this place (see /v1/districts)")
        }
        return ubigeos
    }
}
