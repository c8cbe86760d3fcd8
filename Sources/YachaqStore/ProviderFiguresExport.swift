import Foundation
import PostgresNIO
import YachaqDomain

/// Every provider's scorecard figures (`ProviderFigures`), by name, a page at a time: each
/// page is one set-based query, and nothing is held beyond it, so the CSV streams.
public struct ProviderFiguresExport: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Where a page ended: the last provider's name key and id.
    public struct Position: Sendable {
        let key: String
        let id: UUID
    }

    /// The page after `position` (nil: the first), in name order, and where the next one
    /// starts (nil: this was the last). Each page leases a connection only for its query.
    public func page(after position: Position?, limit: Int = 1000) async throws -> (rows: [ProviderFigures], next: Position?) {
        let page = try await database.reading { connection in
            try await connection.run(Self.query(after: position, limit: limit), logger: logger).records(Self.figures)
        }
        let next = page.count == limit ? page.last.map { Position(key: $0.key, id: $0.figures.providerID) } : nil
        return (page.map(\.figures), next)
    }

    private static func query(after: Position?, limit: Int) -> PostgresQuery {
        var query = FilteredQuery(
            """
            SELECT p.id, p.name_key, p.full_name, p.kind, p.gender, p.status, p.home_ubigeo, d.department, d.province, d.district,
                   c.signed, c.completed, c.terminated, c.contracted, c.paid, c.days, c.families, c.last_on, b.buyers, b.repeat,
                   r.count AS ratings, r.technical, r.communication, r.punctuality, r.results, r.yes, r.no, t.trainees,
                   cert.total AS certifications, cert.expired AS certifications_expired
            FROM providers p JOIN districts d ON d.ubigeo = p.home_ubigeo
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE \(ScorecardStore.contracted))::int AS signed,
                       count(*) FILTER (WHERE status = 'completed')::int AS completed,
                       count(*) FILTER (WHERE status = 'terminated')::int AS terminated,
                       coalesce(sum(amount_cents) FILTER (WHERE \(ScorecardStore.contracted)), 0)::bigint AS contracted,
                       coalesce(sum(paid_cents), 0)::bigint AS paid,
                       coalesce(sum(upper(period) - lower(period)) FILTER (WHERE status = 'completed'), 0)::int AS days,
                       coalesce(sum(families) FILTER (WHERE status = 'completed'), 0)::int AS families,
                       (max(lower(period)) FILTER (WHERE \(ScorecardStore.contracted)))::text AS last_on
                FROM contracts WHERE provider_id = p.id) c
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS buyers, count(*) FILTER (WHERE n >= 2)::int AS repeat
                FROM (SELECT count(*) AS n FROM contracts WHERE provider_id = p.id AND \(ScorecardStore.contracted)
                      GROUP BY organization_id) o) b
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS count, coalesce(sum(technical), 0)::int AS technical,
                       coalesce(sum(communication), 0)::int AS communication, coalesce(sum(punctuality), 0)::int AS punctuality,
                       coalesce(sum(results), 0)::int AS results, count(*) FILTER (WHERE would_hire_again)::int AS yes,
                       count(*) FILTER (WHERE NOT would_hire_again)::int AS no
                FROM ratings WHERE provider_id = p.id) r
            CROSS JOIN LATERAL (SELECT count(DISTINCT trainee_id)::int AS trainees FROM trainings WHERE trainer_id = p.id) t
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS total, count(*) FILTER (WHERE valid_until < current_date)::int AS expired
                FROM certifications WHERE provider_id = p.id) cert
            """)
        if let after { query.filter("(p.name_key, p.id) > ({}, {})", after.key, after.id) }
        return query.ordered(by: "p.name_key, p.id", limit: limit)
    }

    private static func figures(_ row: NamedColumns) throws -> (key: String, figures: ProviderFigures) {
        let ratings = RatingSummary(
            count: try row.value("ratings"), technical: try row.value("technical"), communication: try row.value("communication"),
            punctuality: try row.value("punctuality"), results: try row.value("results"), hireAgainYes: try row.value("yes"),
            hireAgainNo: try row.value("no"))
        let figures = ProviderFigures(
            providerID: try row.value("id"), fullName: try row.value("full_name"), kind: try row.value("kind"),
            gender: try row.value("gender"), status: try row.value("status"), homeUbigeo: try row.value("home_ubigeo"),
            department: try row.value("department"), province: try row.value("province"), district: try row.value("district"),
            contractsSigned: try row.value("signed"), contractsCompleted: try row.value("completed"),
            contractsTerminated: try row.value("terminated"), ratings: ratings, buyers: try row.value("buyers"),
            repeatBuyers: try row.value("repeat"), amountContractedCents: try row.value("contracted"),
            amountPaidCents: try row.value("paid"),
            daysWorked: try row.value("days"), familiesServed: try row.value("families"), trainees: try row.value("trainees"),
            certifications: try row.value("certifications"), certificationsExpired: try row.value("certifications_expired"),
            lastContractOn: try row.value("last_on"))
        return (try row.value("name_key"), figures)
    }
}
