import Foundation
import PostgresNIO
import YachaqDomain

extension JobApplicationStore {
    /// `answer` to the invitation `id`, given by `actor` (who speaks for the invited profile).
    public func answer(_ id: UUID, _ answer: InvitationAnswer, actor: Identity) async throws -> JobApplication {
        try await database.withTransaction(logger: logger) { connection in
            try await Self.answer(id, answer, by: actor.userID, on: connection, logger: logger)
        }
    }

    /// The answer on a transaction's connection (an SMS's, which records the text in the same
    /// transaction). The row is locked, so that two answers (a page and an SMS) cannot both land.
    static func answer(
        _ id: UUID, _ answer: InvitationAnswer, by userID: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws -> JobApplication {
        let locked = try await connection.run(
            """
            SELECT \(unescaped: columns),
                EXISTS (SELECT 1 FROM users u WHERE u.id = \(userID) AND u.provider_id = a.provider_id AND u.disabled_at IS NULL) AS speaks
            FROM applications a WHERE id = \(id) FOR UPDATE
            """, logger: logger
        ).records { row in
            (try JobApplication(row), try row.value("speaks", as: Bool.self))
        }
        guard let (before, speaks) = locked.first, speaks else { throw StoreError.notFound("No invitation has id \(id).") }
        guard before.invited else { throw StoreError.conflict("This application was not an invitation; there is nothing to answer.") }
        if let given = before.invitationAnswer {
            throw StoreError.conflict("This invitation was answered already (\(given.rawValue)).")
        }
        guard [.applied, .shortlisted, .interviewed].contains(before.status) else {
            throw StoreError.conflict("The application is \(before.status.rawValue); the invitation can no longer be answered.")
        }
        let status: JobApplicationStatus = answer == .declined ? .withdrawn : before.status
        let after = try await connection.run(
            """
            UPDATE applications SET invitation_answer = \(answer.rawValue), status = \(status.rawValue), updated_at = now()
            WHERE id = \(id) RETURNING \(unescaped: columns)
            """, logger: logger
        ).record(JobApplication.init)
        try await AuditTrail.write(
            [try AuditChange(answer == .accepted ? "accept_invitation" : "decline_invitation", before: before, after: after)],
            actor: userID, on: connection, logger: logger)
        try await NotificationStore.answered(after, on: connection, logger: logger)
        return after
    }
}
