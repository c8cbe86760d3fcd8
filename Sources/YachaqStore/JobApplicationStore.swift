import Foundation
import PostgresNIO
import YachaqDomain

/// Applications to requests and the community's steps through them to a choice.
public struct JobApplicationStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// A provider applies, or the buyer invites one (`invited`); only to an open request.
    public func apply(requestID: UUID, _ draft: JobApplicationDraft, invited: Bool, actor: Identity?) async throws -> JobApplication {
        try await database.withTransaction(logger: logger) { connection in
            let status = try await connection.run("SELECT status FROM service_requests WHERE id = \(requestID) FOR SHARE", logger: logger)
                .decode(String.self).first { _ in true }
            guard let status else { throw StoreError.notFound("No request has id \(requestID).") }
            guard status == ServiceRequestStatus.open.rawValue else {
                throw StoreError.conflict("The request is \(status); it takes no applications.")
            }
            // A buyer invites only active, published providers: to a buyer an unpublished or
            // inactive profile is the same as none, so it reads the same. A provider applying
            // shows itself by applying, but only while active.
            let standing = try await connection.run(
                """
                SELECT status = 'active' AS active, consent_to_publish FROM providers WHERE id = \(draft.providerID) FOR SHARE
                """, logger: logger
            ).records { row in
                (active: try row.value("active", as: Bool.self), published: try row.value("consent_to_publish", as: Bool.self))
            }.first
            if invited, standing.map({ !$0.active || !$0.published }) ?? true {
                throw InvalidInput(field: "provider_id", "no provider has this id")
            }
            if !invited, standing?.active != true {
                throw InvalidInput(field: "provider_id", "only an active profile can apply")
            }
            let application = try await connection.run(
                """
                INSERT INTO applications (request_id, provider_id, invited, note)
                VALUES (\(requestID), \(draft.providerID), \(invited), \(draft.note))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(JobApplication.init)
            try await AuditTrail.write(
                AuditChange(invited ? "invite" : "apply", before: nil, after: application),
                actor: actor?.userID, on: connection, logger: logger)
            if invited {
                try await NotificationStore.invited(application, on: connection, logger: logger)
            } else {
                try await NotificationStore.applied(application, on: connection, logger: logger)
            }
            return application
        }
    }

    public func find(_ id: UUID) async throws -> (application: JobApplication, requestOrganization: UUID)? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns),
                (SELECT organization_id FROM service_requests r WHERE r.id = request_id) AS request_organization_id
            FROM applications WHERE id = \(id)
            """)
        return try await rows.records { row in (try JobApplication(row), try row.value("request_organization_id", as: UUID.self)) }.first
    }

    public func list(requestID: UUID) async throws -> [JobApplication] {
        try await database.query(
            "SELECT \(unescaped: Self.columns) FROM applications WHERE request_id = \(requestID) ORDER BY created_at, id"
        )
        .records(JobApplication.init)
    }

    /// Moves an application on, under a lock on it and its request so that the two change
    /// together; selecting one awards the request, and the selected one withdrawing reopens it.
    public func change(_ id: UUID, _ change: JobApplicationChangeDraft, actor: Identity?) async throws -> JobApplication {
        try await database.withTransaction(logger: logger) { connection in
            let locked = try await connection.run(
                """
                SELECT \(unescaped: Self.columns) FROM applications WHERE id = \(id) FOR UPDATE
                """, logger: logger
            ).records(JobApplication.init)
            guard let before = locked.first else { throw StoreError.notFound("No application has id \(id).") }
            let request = try await ServiceRequestStore.load([before.requestID], on: connection, logger: logger, locking: true)
                .inOrder(of: [before.requestID], entity: "service request")[0]
            let next = change.status
            guard before.status.canMove(to: next) else {
                throw StoreError.conflict("An application that is \(before.status.rawValue) cannot become \(next.rawValue).")
            }
            if next == .selected, request.status != .open {
                throw StoreError.conflict("The request is \(request.status.rawValue); nobody more can be selected.")
            }
            let after = try await connection.run(
                """
                UPDATE applications SET status = \(next.rawValue), updated_at = now(),
                    interview_held_on = coalesce(\(change.interview?.heldOn)::date, interview_held_on),
                    interview_panel = coalesce(\(change.interview?.panel), interview_panel),
                    interview_notes = coalesce(\(change.interview?.notes), interview_notes),
                    reason = coalesce(\(change.reason), reason)
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(JobApplication.init)
            var changes = [try AuditChange(next.rawValue, before: before, after: after)]
            // A withdrawal reopens an awarded request, not one the buyer has since cancelled or closed.
            let requestStatus: ServiceRequestStatus? =
                switch (next, request.status) {
                case (.selected, .open): .awarded
                case (.withdrawn, .awarded) where before.status == .selected: .open
                default: nil
                }
            if let requestStatus {
                try await connection.execute(
                    """
                    UPDATE service_requests SET status = \(requestStatus.rawValue), updated_at = now() WHERE id = \(request.id)
                    """, logger: logger)
                let awarded = try await ServiceRequestStore.load(request.id, on: connection, logger: logger)
                changes.append(try AuditChange(requestStatus == .awarded ? "award" : "reopen", before: request, after: awarded))
            }
            try await AuditTrail.write(changes, actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    static let columns = """
        id, request_id, provider_id, status, invited, note, interview_held_on::text AS interview_held_on, interview_panel, interview_notes,
        reason, invitation_answer, created_at, updated_at
        """
}

extension JobApplication: Audited {
    static let auditEntity = "application"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        let heldOn: String? = try row.value("interview_held_on")
        let panel: String? = try row.value("interview_panel"), notes: String? = try row.value("interview_notes")
        self.init(
            id: try row.value("id"), requestID: try row.value("request_id"), providerID: try row.value("provider_id"),
            status: try row.value("status"), invited: try row.value("invited"), note: try row.value("note"),
            interview: heldOn.map { Interview(heldOn: $0, panel: panel ?? "", notes: notes ?? "") }, reason: try row.value("reason"),
            invitationAnswer: try row.optional("invitation_answer"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at")
        )
    }
}
