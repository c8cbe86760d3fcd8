import Foundation
import PostgresNIO
import YachaqDomain

/// A provider's scorecard (`ProviderScorecard`): its contracts, money, ratings, places,
/// trainees and certifications, read in one connection.
public struct ScorecardStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func scorecard(of providerID: UUID) async throws -> ProviderScorecard? {
        try await database.reading { try await Self.scorecard(of: providerID, on: $0, logger: logger) }
    }

    /// "Contracted": signed at least.
    static let contracted = "status IN ('signed', 'active', 'completed', 'terminated')"

    static func scorecard(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ProviderScorecard? {
        guard
            let provider = try await connection.run("SELECT full_name, status FROM providers WHERE id = \(id)", logger: logger)
                .records({ (name: try $0.value("full_name", as: String.self), status: try $0.value("status", as: ProviderStatus.self)) })
                .first
        else { return nil }
        let totals = try await connection.run(
            """
            SELECT status, count(*)::int AS count, coalesce(sum(amount_cents), 0)::bigint AS amount,
                   coalesce(sum(paid_cents), 0)::bigint AS paid,
                   coalesce(sum(upper(period) - lower(period)), 0)::int AS days, coalesce(sum(families), 0)::int AS families
            FROM contracts WHERE provider_id = \(id) GROUP BY status
            """, logger: logger
        ).records { row in
            (
                status: try row.value("status", as: ContractStatus.self), count: try row.value("count", as: Int.self),
                amount: try row.value("amount", as: Int64.self), paid: try row.value("paid", as: Int64.self),
                days: try row.value("days", as: Int.self), families: try row.value("families", as: Int.self)
            )
        }
        var counts = ProviderScorecard.ContractCounts()
        for total in totals {
            switch total.status {
            case .draft: counts.draft = total.count
            case .signed: counts.signed = total.count
            case .active: counts.active = total.count
            case .completed: counts.completed = total.count
            case .terminated: counts.terminated = total.count
            case .cancelled: counts.cancelled = total.count
            }
        }
        let signed = totals.filter { $0.status.wasSigned }
        let completed = totals.first { $0.status == .completed }
        let buyers = try await connection.run(
            """
            SELECT count(*)::int AS buyers, count(*) FILTER (WHERE contracts >= 2)::int AS repeat
            FROM (SELECT organization_id, count(*) AS contracts FROM contracts WHERE provider_id = \(id) AND \(unescaped: Self.contracted)
                  GROUP BY organization_id) b
            """, logger: logger
        ).record { (all: try $0.value("buyers", as: Int.self), repeat: try $0.value("repeat", as: Int.self)) }
        let terminations = try await connection.run(
            """
            SELECT t.contract_id, t.reason, t.at FROM contract_transitions t JOIN contracts c ON c.id = t.contract_id
            WHERE c.provider_id = \(id) AND t.to_status = 'terminated' ORDER BY t.at, t.id
            """, logger: logger
        ).records {
            ProviderScorecard.Termination(contractID: try $0.value("contract_id"), reason: try $0.value("reason"), at: try $0.value("at"))
        }
        let byYear = try await connection.run(
            """
            SELECT extract(year FROM created_at)::int AS year, count(*)::int AS count,
                   avg((technical + communication + punctuality + results) / 4.0)::float8 AS average
            FROM ratings WHERE provider_id = \(id) GROUP BY 1 ORDER BY 1
            """, logger: logger
        ).records {
            ProviderScorecard.RatingsInYear(year: try $0.value("year"), count: try $0.value("count"), average: try $0.value("average"))
        }
        let districts = try await connection.run(
            """
            SELECT c.ubigeo, d.district, count(*)::int AS contracts FROM contracts c JOIN districts d ON d.ubigeo = c.ubigeo
            WHERE c.provider_id = \(id) AND c.\(unescaped: Self.contracted) GROUP BY c.ubigeo, d.district ORDER BY 3 DESC, 1
            """, logger: logger
        ).records {
            ProviderScorecard.DistrictServed(
                ubigeo: try $0.value("ubigeo"), district: try $0.value("district"), contracts: try $0.value("contracts"))
        }
        let trainees = try await connection.run(
            """
            WITH RECURSIVE cascade (trainee) AS (
                SELECT trainee_id FROM trainings WHERE trainer_id = \(id)
                UNION
                SELECT t.trainee_id FROM trainings t JOIN cascade c ON t.trainer_id = c.trainee
            )
            SELECT (SELECT count(DISTINCT trainee_id) FROM trainings WHERE trainer_id = \(id))::int AS direct,
                   (SELECT count(*) FROM cascade)::int AS cascade
            """, logger: logger
        ).record { (direct: try $0.value("direct", as: Int.self), cascade: try $0.value("cascade", as: Int.self)) }
        let certifications = try await connection.run(
            """
            SELECT skill_code, issued_on::text AS issued_on, valid_until::text AS valid_until,
                   coalesce(valid_until < current_date, false) AS expired
            FROM certifications WHERE provider_id = \(id) ORDER BY issued_on, skill_code
            """, logger: logger
        ).records {
            ProviderScorecard.CertificationStanding(
                skill: try $0.value("skill_code"), issuedOn: try $0.value("issued_on"), validUntil: try $0.value("valid_until"),
                expired: try $0.value("expired"))
        }
        return ProviderScorecard(
            providerID: id, fullName: provider.name, status: provider.status, contracts: counts, terminations: terminations,
            ratings: try await RatingStore.summary(providerID: id, on: connection, logger: logger), ratingsByYear: byYear,
            buyers: buyers.all, repeatBuyers: buyers.repeat, amountContractedCents: signed.reduce(0) { $0 + $1.amount },
            amountPaidCents: totals.reduce(0) { $0 + $1.paid }, daysWorked: completed?.days ?? 0, familiesServed: completed?.families ?? 0,
            districtsServed: districts, trainees: trainees.direct, traineesInCascade: trainees.cascade, certifications: certifications)
    }
}
