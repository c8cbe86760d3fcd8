import Foundation
import PostgresNIO
import YachaqDomain

/// What a text that came in did, as its row in `sms_inbound` and the audit trail say it.
public enum SMSOutcome: String, Sendable, Equatable {
    case accepted, declined, stopped, help
    /// A code that no live invitation sent to this number carries.
    case noSuchCode = "no_such_code"
    /// The code's invitation was answered already, or can no longer be.
    case notAnswerable = "not_answerable"
    /// No user has this number: nothing done, no reply (an unknown number costs a reply).
    case unknownSender = "unknown_sender"
    /// The gateway's message id was seen before: nothing done again.
    case replayed
}

/// Texts that came in through the gateway: each recorded with what it did, in one transaction
/// with that and with the reply it queues.
public struct SMSInboundStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Does what `text` from `phone` asks (`command`, read from it). `gatewayID` is the
    /// gateway's id of the message: a second text with the same id changes nothing and is
    /// audited as replayed. Only the number an invitation's code was sent to may answer with it.
    public func receive(gatewayID: String, phone: String, text: String, command: SMSCommand) async throws -> SMSOutcome {
        try await database.withTransaction(logger: logger) { connection in
            let inbound = try await connection.run(
                """
                INSERT INTO sms_inbound (gateway_id, phone, text, user_id, outcome)
                VALUES (\(gatewayID), \(phone), \(text),
                        (SELECT id FROM users WHERE phone = \(phone) AND disabled_at IS NULL ORDER BY created_at, id LIMIT 1), 'pending')
                ON CONFLICT (gateway_id) DO NOTHING
                RETURNING id, user_id
                """, logger: logger
            ).records { row in (id: try row.value("id", as: Int64.self), user: try row.value("user_id", as: UUID?.self)) }.first
            guard let inbound else {
                try await audit(.replayed, id: "replay of \(gatewayID)", phone: phone, text: text, user: nil, on: connection)
                return .replayed
            }
            let (outcome, reply) = try await act(command, from: phone, user: inbound.user, on: connection)
            try await connection.execute(
                "UPDATE sms_inbound SET outcome = \(outcome.rawValue) WHERE id = \(inbound.id)", logger: logger)
            try await audit(outcome, id: String(inbound.id), phone: phone, text: text, user: inbound.user, on: connection)
            if let reply, outcome != .unknownSender {
                try await SMSOutboxStore.reply(
                    to: phone, user: inbound.user, kind: outcome.rawValue, params: reply, on: connection, logger: logger)
            }
            return outcome
        }
    }

    /// What the command does, and the values of the reply's words (nil: no reply).
    private func act(
        _ command: SMSCommand, from phone: String, user: UUID?, on connection: PostgresConnection
    ) async throws -> (SMSOutcome, [String: String]?) {
        switch command {
        case .accept(let code), .decline(let code):
            let invitation = try await connection.run(
                """
                SELECT n.subject, n.user_id, n.params->>'title' AS title FROM notifications n
                JOIN sms_outbox o ON o.notification_id = n.id AND o.phone = \(phone)
                WHERE n.code = \(code) AND n.kind = 'invited' AND n.code_valid @> now()
                ORDER BY n.id DESC LIMIT 1
                """, logger: logger
            ).records { row in
                (
                    application: try row.value("subject", as: UUID.self), user: try row.value("user_id", as: UUID.self),
                    title: try row.value("title", as: String.self)
                )
            }.first
            guard let invitation else { return (user == nil ? .unknownSender : .noSuchCode, ["code": code]) }
            let answer: InvitationAnswer = if case .accept = command { .accepted } else { .declined }
            do {
                try await connection.execute("SAVEPOINT answer", logger: logger)
                _ = try await JobApplicationStore.answer(
                    invitation.application, answer, by: invitation.user, on: connection, logger: logger)
            } catch let error as StoreError {
                // Answered already, or the application moved on: said to the sender, recorded.
                try await connection.execute("ROLLBACK TO SAVEPOINT answer", logger: logger)
                logger.debug("an SMS answer was not taken", metadata: ["reason": "\(error)"])
                return (.notAnswerable, ["code": code, "title": invitation.title])
            }
            return (answer == .accepted ? .accepted : .declined, ["code": code, "title": invitation.title])
        case .stop:
            guard user != nil else { return (.unknownSender, nil) }
            try await stopSMS(to: phone, on: connection)
            return (.stopped, [:])
        case .unknown:
            return (user == nil ? .unknownSender : .help, [:])
        }
    }

    /// No more SMS to `phone` for everyone who gave it, each change audited as `set_contact`.
    private func stopSMS(to phone: String, on connection: PostgresConnection) async throws {
        let stopped = try await connection.run(
            "UPDATE users SET sms = false WHERE phone = \(phone) AND sms RETURNING id", logger: logger
        ).records { row in try row.value("id", as: UUID.self) }
        let changes = try stopped.map { id in
            try AuditChange("set_contact", entity: "user", id: id.lowercased, after: ["sms": false])
        }
        try await AuditTrail.write(changes, actor: nil, on: connection, logger: logger)
    }

    private func audit(
        _ outcome: SMSOutcome, id: String, phone: String, text: String, user: UUID?, on connection: PostgresConnection
    ) async throws {
        let change = try AuditChange(
            "sms_in", entity: "sms_inbound", id: id, after: ["phone": phone, "text": text, "outcome": outcome.rawValue])
        try await AuditTrail.write([change], actor: user, on: connection, logger: logger)
    }
}

extension SMSInboundStore {
    /// A call on the gateway's routes that did not come from the gateway (a wrong secret, an
    /// address not allowed): nothing done, the attempt kept in the audit trail.
    public func refuse(route: String, address: String, reason: String) async throws {
        let change = try AuditChange(
            "sms_refused", entity: "sms_gateway", id: route, after: ["address": String(address.prefix(64)), "reason": reason])
        try await database.withTransaction(logger: logger) { connection in
            try await AuditTrail.write([change], actor: nil, on: connection, logger: logger)
        }
    }
}
