import Foundation
import PostgresNIO
import YachaqDomain

/// Demand requests: what help a community or municipality needs, where and when.
public struct RequestStore: Sendable {
    let database: Database
    let logger: Logger
    let references: ReferenceCodesCache

    public init(database: Database, logger: Logger, references: ReferenceCodesCache) {
        self.database = database
        self.logger = logger
        self.references = references
    }

    public func create(_ input: NewRequest, organizationID: UUID, actor: Identity?) async throws -> ServiceRequest {
        let draft = try input.validated()
        try await references.get().check(draft)
        let id = UUID()
        return try await translatingConstraints(["service_requests_organization_id_fkey": .invalid(field: "organization_id", message: "no organisation has this id")]) {
            try await database.withTransaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO service_requests (id, organization_id, title, description, ubigeo, period, budget_cents,
                                                  must_live_in_community, exclusive, preferred_gender, created_by)
                    VALUES (\(id), \(organizationID), \(draft.title), \(draft.description), \(draft.ubigeo.code),
                            daterange(\(draft.startsOn.text)::date, \(draft.endsOn.text)::date, '[]'), \(draft.budgetCents),
                            \(draft.mustLiveInCommunity), \(draft.exclusive), \(draft.preferredGender?.rawValue), \(actor?.userID))
                    """, logger: logger)
                try await connection.query("INSERT INTO request_skills SELECT \(id), unnest(\(draft.skills)::text[])", logger: logger)
                try await connection.query("INSERT INTO request_languages SELECT \(id), unnest(\(draft.languages)::text[])", logger: logger)
                let request = try await Self.load([id], on: connection, logger: logger)[0]
                try await connection.query("""
                    INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                    VALUES (\(actor?.userID), 'create', 'request', \(id.uuidString.lowercased()), \(try auditJSON(request))::jsonb)
                    """, logger: logger)
                return request
            }
        }
    }

    /// The buyer cancels or closes the request (`RequestStatus.canBeMoved`), under a lock on
    /// it, so that a selection at the same moment either lands first or finds it closed.
    public func transition(_ id: UUID, _ transition: RequestTransition, actor: Identity?) async throws -> ServiceRequest {
        let (next, reason) = try transition.validated()
        return try await database.withTransaction(logger: logger) { connection in
            guard let before = try await Self.load([id], on: connection, logger: logger, locking: true).first else {
                throw StoreError.notFound("No request has id \(id).")
            }
            guard before.status.canBeMoved(to: next) else {
                throw StoreError.conflict("A request that is \(before.status.rawValue) cannot become \(next.rawValue).")
            }
            try await connection.query("""
                UPDATE service_requests SET status = \(next.rawValue), status_reason = \(reason), updated_at = now() WHERE id = \(id)
                """, logger: logger)
            let after = try await Self.load([id], on: connection, logger: logger)[0]
            try await connection.query("""
                INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
                VALUES (\(actor?.userID), \(next == .cancelled ? "cancel" : "close"), 'request', \(id.uuidString.lowercased()),
                        \(try auditJSON(before))::jsonb, \(try auditJSON(after))::jsonb)
                """, logger: logger)
            return after
        }
    }

    public func find(_ id: UUID) async throws -> ServiceRequest? {
        try await database.withConnection { try await Self.load([id], on: $0, logger: logger).first }
    }

    /// Newest first; optionally by status, a skill (or group), and near a point.
    public func list(status: RequestStatus?, skill: String?, near: (latitude: Double, longitude: Double)?, radiusKm: Double,
                     after cursor: String?, limit: Int) async throws -> Page<ServiceRequest> {
        // The cursor holds created_at in whole microseconds since 1970 (exact, unlike a
        // float), checked to lie between then and year 2200 before it is bound.
        var after: (micros: Int64, id: UUID)?
        if let cursor {
            guard let parts = Cursor.decode(cursor, count: 2), let micros = Int64(parts[0]), (0...7_258_118_400_000_000).contains(micros),
                  let id = UUID(uuidString: parts[1])
            else { throw ValidationError(field: "cursor", "is not a cursor this list gave out") }
            after = (micros, id)
        }
        let skillPrefix = skill.map { likeEscaped($0) + ".%" }
        let rows = try await database.query("""
            SELECT r.id, (extract(epoch FROM r.created_at) * 1000000)::bigint FROM service_requests r
            WHERE (\(status?.rawValue)::text IS NULL OR r.status = \(status?.rawValue)::text)
              AND (\(skill)::text IS NULL OR EXISTS (SELECT 1 FROM request_skills s WHERE s.request_id = r.id
                   AND (s.skill_code = \(skill)::text OR s.skill_code LIKE \(skillPrefix)::text OR \(skill)::text LIKE s.skill_code || '.%')))
              AND (\(near?.latitude)::float8 IS NULL OR earth_distance(r.work_point, ll_to_earth(\(near?.latitude)::float8, \(near?.longitude)::float8)) <= \(radiusKm * 1000))
              AND (\(after?.micros)::bigint IS NULL
                   OR (r.created_at, r.id) < ('epoch'::timestamptz + \(after?.micros)::bigint * interval '1 microsecond', \(after?.id)::uuid))
            ORDER BY r.created_at DESC, r.id DESC
            LIMIT \(limit + 1)
            """)
        var found: [(UUID, Int64)] = []
        for try await row in rows.decode((UUID, Int64).self) { found.append(row) }
        let page = Array(found.prefix(limit))
        let requests = try await database.withConnection { try await Self.load(page.map(\.0), on: $0, logger: logger) }
        let next = found.count > limit ? page.last.map { Cursor.encode([String($0.1), $0.0.uuidString]) } : nil
        return Page(items: requests, nextCursor: next)
    }

    /// `locking`: FOR UPDATE, inside a transaction that is about to change them.
    static func load(_ ids: [UUID], on connection: PostgresConnection, logger: Logger, locking: Bool = false) async throws -> [ServiceRequest] {
        guard !ids.isEmpty else { return [] }
        var requests: [UUID: ServiceRequest] = [:]
        for try await row in try await connection.query("""
            SELECT r.id, r.organization_id, r.title, r.description,
                   coalesce((SELECT array_agg(skill_code ORDER BY skill_code) FROM request_skills WHERE request_id = r.id), '{}'),
                   coalesce((SELECT array_agg(language_code ORDER BY language_code) FROM request_languages WHERE request_id = r.id), '{}'),
                   r.ubigeo, lower(r.period)::text, (upper(r.period) - 1)::text, r.budget_cents, r.must_live_in_community, r.exclusive,
                   r.preferred_gender, r.status, r.status_reason, r.created_at
            FROM service_requests r WHERE r.id = ANY(\(ids)) \(unescaped: locking ? "FOR UPDATE" : "")
            """, logger: logger).decode((UUID, UUID, String, String, [String], [String], String, String, String, Int64, Bool, Bool, String?, String, String?, Date).self) {
            requests[row.0] = ServiceRequest(
                id: row.0, organizationId: row.1, title: row.2, description: row.3, skills: row.4, languages: row.5, ubigeo: row.6,
                startsOn: row.7, endsOn: row.8, budgetCents: row.9, mustLiveInCommunity: row.10, exclusive: row.11,
                preferredGender: row.12.flatMap(Gender.init(rawValue:)), status: RequestStatus(rawValue: row.13)!, statusReason: row.14, createdAt: row.15
            )
        }
        return ids.compactMap { requests[$0] }
    }
}
