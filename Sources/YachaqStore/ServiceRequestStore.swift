import Foundation
import PostgresNIO
import YachaqDomain

/// Demand requests: what help a community or municipality needs, where and when.
public struct ServiceRequestStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func create(_ draft: ServiceRequestDraft, organizationID: UUID, actor: Identity?) async throws -> ServiceRequest {
        let id = UUID()
        return try await database.withTransaction(logger: logger) { connection in
            try await connection.execute(
                """
                INSERT INTO service_requests (id, organization_id, title, description, ubigeo, period, budget_cents,
                                              must_live_in_community, exclusive, preferred_gender, families, created_by)
                VALUES (\(id), \(organizationID), \(draft.title), \(draft.description), \(draft.ubigeo.code),
                        daterange(\(draft.startsOn.text)::date, \(draft.endsOn.text)::date, '[]'), \(draft.budgetCents),
                        \(draft.mustLiveInCommunity), \(draft.exclusive), \(draft.preferredGender?.rawValue), \(draft.families),
                        \(actor?.userID))
                """, logger: logger)
            try await Self.writeSkillsAndLanguages(of: id, draft, on: connection, logger: logger)
            let request = try await Self.load(id, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("create", before: nil, after: request), actor: actor?.userID, on: connection, logger: logger)
            return request
        }
    }

    /// The buyer changes what it asks while the request is open (widens the place, the skills
    /// or the languages, moves the dates, raises the budget), under a lock on it: `authorize`
    /// decides on its organisation, `change` makes the new draft from the request as it is.
    /// Skills and languages are replaced whole; the audit keeps before and after.
    public func edit(
        _ id: UUID, actor: Identity?, authorize: @Sendable (_ organizationID: UUID) throws -> Void,
        change: @Sendable (NewServiceRequest) throws -> ServiceRequestDraft
    ) async throws -> ServiceRequest {
        try await database.withTransaction(logger: logger) { connection in
            guard let before = try await Self.load([id], on: connection, logger: logger, locking: true)[id] else {
                throw StoreError.notFound("No request has id \(id).")
            }
            try authorize(before.organizationID)
            guard before.status == .open else {
                throw StoreError.conflict("Only an open request is changed; this one is \(before.status.rawValue).")
            }
            let draft = try change(NewServiceRequest(editing: before))
            try await connection.execute(
                """
                UPDATE service_requests SET title = \(draft.title), description = \(draft.description), ubigeo = \(draft.ubigeo.code),
                    period = daterange(\(draft.startsOn.text)::date, \(draft.endsOn.text)::date, '[]'), budget_cents = \(draft.budgetCents),
                    must_live_in_community = \(draft.mustLiveInCommunity), exclusive = \(draft.exclusive),
                    preferred_gender = \(draft.preferredGender?.rawValue), families = \(draft.families), updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            try await connection.execute("DELETE FROM request_skills WHERE request_id = \(id)", logger: logger)
            try await connection.execute("DELETE FROM request_languages WHERE request_id = \(id)", logger: logger)
            try await Self.writeSkillsAndLanguages(of: id, draft, on: connection, logger: logger)
            let after = try await Self.load(id, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("edit", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    /// The request's skills and languages, one row each.
    static func writeSkillsAndLanguages(of id: UUID, _ draft: ServiceRequestDraft, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.execute("INSERT INTO request_skills SELECT \(id), unnest(\(draft.skills)::text[])", logger: logger)
        try await connection.execute("INSERT INTO request_languages SELECT \(id), unnest(\(draft.languages)::text[])", logger: logger)
    }

    /// The buyer cancels or closes the request (`ServiceRequestStatus.canBeMoved`), under a
    /// lock on it, so that a selection at the same moment either lands first or finds it closed.
    public func transition(_ id: UUID, _ transition: ServiceRequestTransitionDraft, actor: Identity?) async throws -> ServiceRequest {
        try await database.withTransaction(logger: logger) { connection in
            guard let before = try await Self.load([id], on: connection, logger: logger, locking: true)[id] else {
                throw StoreError.notFound("No request has id \(id).")
            }
            guard before.status.canBeMoved(to: transition.status) else {
                throw StoreError.conflict("A request that is \(before.status.rawValue) cannot become \(transition.status.rawValue).")
            }
            try await connection.execute(
                """
                UPDATE service_requests SET status = \(transition.status.rawValue), status_reason = \(transition.reason), updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            let after = try await Self.load(id, on: connection, logger: logger)
            let action = transition.status == .cancelled ? "cancel" : "close"
            try await AuditTrail.write(
                AuditChange(action, before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    public func find(_ id: UUID) async throws -> ServiceRequest? {
        try await database.withConnection { try await Self.load([id], on: $0, logger: logger)[id] }
    }

    /// Newest first; optionally by status, a skill (or group), near a point, and of one buyer.
    public func list(
        status: ServiceRequestStatus?, skill: String?, near: (latitude: Double, longitude: Double)?, radiusKm: Double,
        organizationID: UUID? = nil, after cursor: String?, limit: Int
    ) async throws -> Page<ServiceRequest> {
        let keyset = NewestFirst(alias: "r")
        var query = FilteredQuery("SELECT \(keyset.columns) FROM service_requests r")
        if let status { query.filter("r.status = {}", status.rawValue) }
        if let organizationID { query.filter("r.organization_id = {}", organizationID) }
        if let skill {
            // The skill itself, any skill of a group asked for, or the group of a skill asked for.
            query.filter(
                """
                EXISTS (SELECT 1 FROM request_skills s WHERE s.request_id = r.id
                        AND (s.skill_code = {} OR s.skill_code LIKE {} OR {} LIKE s.skill_code || '.%'))
                """, skill, likeEscaped(skill) + ".%", skill)
        }
        if let near {
            query.filter("earth_distance(r.work_point, ll_to_earth({}, {})) <= {}", near.latitude, near.longitude, radiusKm * 1000)
        }
        try keyset.filter(&query, after: cursor)
        return try await keyset.page(query, limit: limit, on: database, logger: logger) { [logger] ids, connection in
            try await Self.load(ids, on: connection, logger: logger).inOrder(of: ids, entity: "service request")
        }
    }

    /// The requests with these ids, by id (ids without one left out). `locking`: FOR UPDATE,
    /// inside a transaction that is about to change them.
    static func load(_ ids: [UUID], on connection: PostgresConnection, logger: Logger, locking: Bool = false) async throws -> [UUID:
        ServiceRequest]
    {
        guard !ids.isEmpty else { return [:] }
        let requests = try await connection.run(
            """
            SELECT r.id, r.organization_id, r.title, r.description,
                   coalesce((SELECT array_agg(skill_code ORDER BY skill_code) FROM request_skills WHERE request_id = r.id), '{}') AS skills,
                   coalesce((SELECT array_agg(language_code ORDER BY language_code) FROM request_languages WHERE request_id = r.id),
                       '{}') AS languages,
                   r.ubigeo, lower(r.period)::text AS starts_on, (upper(r.period) - 1)::text AS ends_on, r.budget_cents,
                   r.must_live_in_community, r.exclusive, r.preferred_gender, r.families, r.status, r.status_reason, r.created_at
            FROM service_requests r WHERE r.id = ANY(\(ids)) \(unescaped: locking ? "FOR UPDATE" : "")
            """, logger: logger
        ).records(ServiceRequest.init)
        return Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The request with this id, which the caller knows to exist.
    static func load(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ServiceRequest {
        try await load([id], on: connection, logger: logger).inOrder(of: [id], entity: "service request")[0]
    }
}

extension ServiceRequest: Audited {
    static let auditEntity = "request"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), organizationID: try row.value("organization_id"), title: try row.value("title"),
            description: try row.value("description"), skills: try row.value("skills"), languages: try row.value("languages"),
            ubigeo: try row.value("ubigeo"), startsOn: try row.value("starts_on"), endsOn: try row.value("ends_on"),
            budgetCents: try row.value("budget_cents"), mustLiveInCommunity: try row.value("must_live_in_community"),
            exclusive: try row.value("exclusive"), preferredGender: try row.optional("preferred_gender"),
            families: try row.value("families"),
            status: try row.value("status"),
            statusReason: try row.value("status_reason"), createdAt: try row.value("created_at")
        )
    }
}
