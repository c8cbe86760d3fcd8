import Foundation
import PostgresNIO
import YachaqDomain

/// Staff's indicators (`Indicators`, whose comment defines each figure), computed in one
/// connection over the districts of the scope. Figures that are slow to compute (all of
/// Peru at national scale) are kept and served from there (`IndicatorStore+Kept.swift`).
public struct IndicatorStore: Sendable {
    let database: Database
    let logger: Logger
    let keeping: Keeping

    public init(database: Database, logger: Logger, keeping: Keeping = Keeping()) {
        self.database = database
        self.logger = logger
        self.keeping = keeping
    }

    /// The figures computed now; 422 when the scope names no district.
    static func compute(_ scope: IndicatorScope, on connection: PostgresConnection, logger: Logger) async throws -> Indicators {
        let area = try await Self.area(scope, on: connection, logger: logger)
        let (from, to) = (scope.from, scope.to)
        /// `sql` with the area as $1 and, unless it has none, the period as $2 and $3.
        func run(_ sql: String, period: Bool = true) async throws -> PostgresRowSequence {
            var binds = PostgresBindings()
            binds.append(area)
            if period {
                binds.append(from)
                binds.append(to)
            }
            return try await connection.run(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        }
        func counts(_ sql: String, total: Int) async throws -> [Indicators.Count] {
            try await run(sql).records { Indicators.Count(key: try $0.value("key"), count: try $0.value("count"), of: total) }
        }
        func single<T: PostgresDecodable>(_ sql: String, _ column: String, as type: T.Type) async throws -> T {
            try await run(sql).record { try $0.value(column, as: T.self) }
        }

        // $1: the area's ubigeos, NULL for all of Peru; $2, $3: the period's ends, NULL when
        // open. Statements are planned with their values (PostgresNIO's unnamed statements),
        // so a NULL's test folds away: over all of Peru a filter naming 1,891 districts made
        // the funding figure 4.7 s instead of 1.1 s.
        let inArea = { (column: String) in "($1::text[] IS NULL OR \(column) = ANY($1))" }
        let contracted = """
            SELECT c.id, c.provider_id, c.organization_id, c.status, c.amount_cents, c.families, c.request_id, o.kind AS buyer_kind
            FROM contracts c JOIN organizations o ON o.id = c.organization_id
            WHERE \(inArea("c.ubigeo")) AND ($2::date IS NULL OR lower(c.period) >= $2::date)
              AND ($3::date IS NULL OR lower(c.period) <= $3::date)
            """
        let signed = "status IN ('signed', 'active', 'completed', 'terminated')"
        // One pass over each table the figures come from; the breakdowns are added up here.
        let registered = try await run(
            "SELECT kind, gender, count(*)::int AS n FROM providers WHERE \(inArea("home_ubigeo")) GROUP BY 1, 2", period: false
        ).records { Tally(kind: try $0.value("kind"), gender: try $0.value("gender"), count: try $0.value("n")) }
        // Each contracted talent once, with how many contracts signed at least.
        let talents = try await run(
            """
            SELECT p.kind, p.gender, count(*)::int AS n, count(*) FILTER (WHERE c.contracts >= 2)::int AS again
            FROM (SELECT provider_id, count(*) AS contracts FROM (\(contracted)) c WHERE \(signed) GROUP BY 1) c
            JOIN providers p ON p.id = c.provider_id GROUP BY 1, 2
            """
        ).records {
            (
                tally: Tally(kind: try $0.value("kind"), gender: try $0.value("gender"), count: try $0.value("n")),
                again: try $0.value("again", as: Int.self)
            )
        }
        let cells = try await run(
            """
            SELECT status, buyer_kind, count(*)::int AS contracts, sum(amount_cents)::bigint AS amount,
                   coalesce(sum(families) FILTER (WHERE families IS NOT NULL), 0)::int AS families,
                   coalesce(sum(amount_cents) FILTER (WHERE families IS NOT NULL), 0)::bigint AS families_amount
            FROM (\(contracted)) c GROUP BY 1, 2
            """
        ).records { row in
            ContractCell(
                status: try row.value("status"), buyerKind: try row.value("buyer_kind"), contracts: try row.value("contracts"),
                amountCents: try row.value("amount"), families: try row.value("families"),
                familiesAmountCents: try row.value("families_amount"))
        }
        let funding = try await run(
            """
            SELECT f.kind, sum(f.amount_cents)::bigint AS funded, sum(f.paid_cents)::bigint AS paid
            FROM (\(contracted)) c JOIN contract_funding f ON f.contract_id = c.id WHERE c.\(signed)
            GROUP BY f.kind ORDER BY f.kind
            """
        ).records {
            Indicators.Funding(kind: try $0.value("kind"), fundedCents: try $0.value("funded"), paidCents: try $0.value("paid"))
        }
        let ratings = try await run(
            """
            SELECT count(*)::int AS n, avg((r.technical + r.communication + r.punctuality + r.results) / 4.0)::float8 AS average
            FROM (\(contracted)) c JOIN ratings r ON r.contract_id = c.id
            """
        ).record { (count: try $0.value("n", as: Int.self), average: try $0.value("average", as: Double?.self)) }
        let contractedCount = talents.reduce(0) { $0 + $1.tally.count }
        let completed = cells.filter { $0.status == "completed" }
        return Indicators(
            scope: scope, talentsRegistered: registered.reduce(0) { $0 + $1.count },
            talentsRegisteredByKind: Tally.counts(registered, by: \.kind),
            talentsRegisteredByGender: Tally.counts(registered, by: \.gender),
            talentsContracted: contractedCount,
            talentsContractedByKind: Tally.counts(talents.map(\.tally), by: \.kind),
            talentsContractedByGender: Tally.counts(talents.map(\.tally), by: \.gender),
            contractsByStatus: ContractCell.amounts(cells, by: \.status),
            contractsByBuyerKind: ContractCell.amounts(cells.filter(\.isSigned), by: \.buyerKind),
            funding: funding, ratings: ratings.count, averageRating: ratings.average,
            requestsByStatus: try await counts(
                """
                SELECT status AS key, count(*)::int AS count FROM service_requests
                WHERE \(inArea("ubigeo")) AND ($2::date IS NULL OR created_at::date >= $2::date)
                  AND ($3::date IS NULL OR created_at::date <= $3::date)
                GROUP BY 1 ORDER BY 1
                """, total: 0),
            medianDaysToContract: try await single(
                """
                SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::float8 AS median FROM (
                    SELECT extract(epoch FROM min(t.at) - r.created_at) / 86400 AS days
                    FROM service_requests r
                    JOIN contracts c ON c.request_id = r.id
                    JOIN contract_transitions t ON t.contract_id = c.id AND t.to_status = 'signed'
                    WHERE \(inArea("r.ubigeo")) AND ($2::date IS NULL OR r.created_at::date >= $2::date)
                      AND ($3::date IS NULL OR r.created_at::date <= $3::date)
                    GROUP BY r.id, r.created_at) first_signed
                """, "median", as: Double?.self),
            hiredAgain: talents.reduce(0) { $0 + $1.again },
            familiesServed: completed.reduce(0) { $0 + $1.families },
            amountForFamiliesCents: completed.reduce(0) { $0 + $1.familiesAmountCents },
            workByBuyerKind: try await counts(
                """
                SELECT CASE buyer_kind WHEN 'association' THEN 'community' ELSE buyer_kind END AS key,
                       count(DISTINCT provider_id)::int AS count
                FROM (\(contracted)) c WHERE \(signed) GROUP BY 1 ORDER BY 1
                """, total: contractedCount),
            // To the second, as JSON writes it: kept figures read back are the same figures.
            asOf: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    }

    /// Talents of one kind and gender, and how many.
    struct Tally {
        let kind: String, gender: String, count: Int

        static func counts(_ tallies: [Tally], by key: KeyPath<Tally, String>) -> [Indicators.Count] {
            let total = tallies.reduce(0) { $0 + $1.count }
            return Dictionary(grouping: tallies, by: { $0[keyPath: key] }).sorted { $0.key < $1.key }.map { key, tallies in
                Indicators.Count(key: key, count: tallies.reduce(0) { $0 + $1.count }, of: total)
            }
        }
    }

    /// The contracts of one status bought by one kind of organisation.
    struct ContractCell {
        let status: String, buyerKind: String, contracts: Int, amountCents: Int64, families: Int, familiesAmountCents: Int64

        var isSigned: Bool { ["signed", "active", "completed", "terminated"].contains(status) }

        static func amounts(_ cells: [ContractCell], by key: KeyPath<ContractCell, String>) -> [Indicators.Amount] {
            Dictionary(grouping: cells, by: { $0[keyPath: key] }).sorted { $0.key < $1.key }.map { key, cells in
                Indicators.Amount(
                    key: key, contracts: cells.reduce(0) { $0 + $1.contracts }, amountCents: cells.reduce(0) { $0 + $1.amountCents })
            }
        }
    }

    /// The ubigeos of the scope's districts, nil for all of Peru; 422 naming the filter when
    /// there are none.
    static func area(_ scope: IndicatorScope, on connection: PostgresConnection, logger: Logger) async throws -> [String]? {
        guard scope.department != nil || scope.province != nil || scope.district != nil else { return nil }
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
