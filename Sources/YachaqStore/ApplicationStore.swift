import Foundation
import PostgresNIO
import YachaqDomain

/// Applications to requests and the community's steps through them to a choice.
public struct ApplicationStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    private static let constraints: [String: ConstraintMeaning] = [
        "applications_request_id_provider_id_key": .conflict("This provider is already on this request."),
        "applications_provider_id_fkey": .invalid(field: "provider_id", message: "no provider has this id"),
        "applications_one_selected": .conflict("Another application was already selected for this request."),
    ]

    /// A provider applies, or the buyer invites one (`invited`); only to an open request.
    public func apply(requestID: UUID, providerID: UUID, note: String?, invited: Bool, actor: Identity?) async throws -> JobApplication {
        try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { connection in
                let status = try await connection.query("SELECT status FROM service_requests WHERE id = \(requestID) FOR SHARE", logger: logger)
                    .decode(String.self).first { _ in true }
                guard let status else { throw StoreError.notFound("No request has id \(requestID).") }
                guard status == RequestStatus.open.rawValue else { throw StoreError.conflict("The request is \(status); it takes no applications.") }
                // A buyer invites only active, published talents: to a buyer an unpublished or
                // inactive profile is the same as none, so it reads the same. A talent applying
                // shows itself by applying, but only while active.
                let standing = try await connection.query("""
                    SELECT status = 'active', consent_to_publish FROM providers WHERE id = \(providerID) FOR SHARE
                    """, logger: logger).decode((Bool, Bool).self).first { _ in true }
                if invited, standing.map({ !$0.0 || !$0.1 }) ?? true {
                    throw ValidationError(field: "provider_id", "no provider has this id")
                }
                if !invited, standing?.0 != true {
                    throw ValidationError(field: "provider_id", "only an active profile can apply")
                }
                let rows = try await connection.query("""
                    WITH inserted AS (
                        INSERT INTO applications (request_id, provider_id, invited, note)
                        VALUES (\(requestID), \(providerID), \(invited), \(note?.trimmed.isEmpty == false ? note?.trimmed : nil))
                        RETURNING *
                    ), audit AS (
                        INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                        SELECT \(actor?.userID), \(invited ? "invite" : "apply"), 'application', id::text, to_jsonb(inserted) FROM inserted
                    )
                    SELECT \(unescaped: Self.columns) FROM inserted
                    """, logger: logger)
                return try await Self.decode(rows)[0]
            }
        }
    }

    public func find(_ id: UUID) async throws -> (application: JobApplication, requestOrganization: UUID)? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns), (SELECT organization_id FROM service_requests r WHERE r.id = request_id)
            FROM applications WHERE id = \(id)
            """)
        for try await row in rows.decode((UUID, UUID, UUID, String, Bool, String?, String?, String?, String?, String?, Date, Date, UUID).self) {
            return (Self.application(row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11), row.12)
        }
        return nil
    }

    public func list(requestID: UUID) async throws -> [JobApplication] {
        try await Self.decode(database.query("SELECT \(unescaped: Self.columns) FROM applications WHERE request_id = \(requestID) ORDER BY created_at, id"))
    }

    /// Moves an application on, under a lock on its request so that the request and its
    /// applications change together; selecting one awards the request.
    public func change(_ id: UUID, _ change: ApplicationChange, actor: Identity?) async throws -> JobApplication {
        let next = try change.validated()
        return try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { connection in
                let locked = try await connection.query("""
                    SELECT a.status, r.status, r.id, to_jsonb(a)::text FROM applications a JOIN service_requests r ON r.id = a.request_id
                    WHERE a.id = \(id) FOR UPDATE OF a, r
                    """, logger: logger).decode((String, String, UUID, String).self).first { _ in true }
                guard let (current, requestStatus, requestID, before) = locked else { throw StoreError.notFound("No application has id \(id).") }
                let from = ApplicationStatus(rawValue: current)!
                guard from.canMove(to: next) else { throw StoreError.conflict("An application that is \(current) cannot become \(next.rawValue).") }
                if next == .selected, requestStatus != RequestStatus.open.rawValue {
                    throw StoreError.conflict("The request is \(requestStatus); nobody more can be selected.")
                }
                let rows = try await connection.query("""
                    UPDATE applications SET status = \(next.rawValue), updated_at = now(),
                        interview_held_on = coalesce(\(change.interview?.heldOn)::date, interview_held_on),
                        interview_panel = coalesce(\(change.interview?.panel), interview_panel),
                        interview_notes = coalesce(\(change.interview?.notes), interview_notes),
                        reason = coalesce(\(change.reason?.trimmed), reason)
                    WHERE id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                let application = try await Self.decode(rows)[0]
                try await connection.query("""
                    INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
                    SELECT \(actor?.userID), \(next.rawValue), 'application', id::text, \(before)::jsonb, to_jsonb(a) FROM applications a WHERE id = \(id)
                    """, logger: logger)
                // A withdrawal reopens an awarded request, not one the buyer has since cancelled or closed.
                if next == .selected || (from == .selected && next == .withdrawn) {
                    let status: RequestStatus = next == .selected ? .awarded : .open
                    try await connection.query("""
                        WITH changed AS (
                            UPDATE service_requests SET status = \(status.rawValue), updated_at = now()
                            WHERE id = \(requestID) AND status = \(status == .awarded ? "open" : "awarded") RETURNING id
                        )
                        INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                        SELECT \(actor?.userID), \(status == .awarded ? "award" : "reopen"), 'request', id::text, jsonb_build_object('status', \(status.rawValue)::text) FROM changed
                        """, logger: logger)
                }
                return application
            }
        }
    }

    private static let columns = "id, request_id, provider_id, status, invited, note, interview_held_on::text, interview_panel, interview_notes, reason, created_at, updated_at"

    private static func decode(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> [JobApplication] {
        var applications: [JobApplication] = []
        for try await row in rows.decode((UUID, UUID, UUID, String, Bool, String?, String?, String?, String?, String?, Date, Date).self) {
            applications.append(application(row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11))
        }
        return applications
    }

    private static func application(_ id: UUID, _ request: UUID, _ provider: UUID, _ status: String, _ invited: Bool, _ note: String?, _ heldOn: String?,
                                    _ panel: String?, _ notes: String?, _ reason: String?, _ created: Date, _ updated: Date) -> JobApplication {
        let interview = heldOn.map { Interview(heldOn: $0, panel: panel ?? "", notes: notes ?? "") }
        return JobApplication(id: id, requestId: request, providerId: provider, status: ApplicationStatus(rawValue: status)!, invited: invited,
                           note: note, interview: interview, reason: reason, createdAt: created, updatedAt: updated)
    }
}
