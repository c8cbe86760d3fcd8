import Foundation
import PostgresNIO
import YachaqDomain

/// The SMS outbox: rows written by the events that cause them (`NotificationStore`) and by
/// answers to texts that came in; claimed, marked and reported on by the dispatcher; read and
/// retried by staff.
public struct SMSOutboxStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Claims up to `pacing.batch` due texts for one dispatcher: each becomes `sending` with
    /// one more attempt and a claim that lapses after `pacing.claimLease`. SKIP LOCKED lets
    /// other processes claim the rest at the same moment, never the same row. A number that
    /// was sent `perNumberPerHour` texts in the last hour waits; during quiet hours only
    /// replies to a text the person just sent go out.
    public func claim(_ pacing: SMSPacing, quiet: Bool) async throws -> [SMSClaim] {
        try await database.query(
            """
            WITH due AS (
                SELECT o.id FROM sms_outbox o
                WHERE o.status IN ('queued', 'sending') AND o.next_attempt_at <= now()
                  AND (NOT \(quiet) OR o.kind LIKE 'reply\\_%')
                  AND (SELECT count(*) FROM sms_outbox s WHERE s.phone = o.phone AND s.sent_at > now() - interval '1 hour')
                      < \(pacing.perNumberPerHour)
                ORDER BY o.next_attempt_at, o.id
                LIMIT \(pacing.batch)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE sms_outbox o SET status = 'sending', attempts = o.attempts + 1,
                next_attempt_at = now() + make_interval(secs => \(Double(pacing.claimLease.components.seconds)))
            FROM due LEFT JOIN sms_outbox this ON this.id = due.id LEFT JOIN users u ON u.id = this.user_id
            WHERE o.id = due.id
            RETURNING o.id, o.phone, o.kind, o.params::text AS params, u.display_language, o.attempts
            """, logger: logger
        ).records(SMSClaim.init)
    }

    /// The gateway took `id`'s text, `body`. A report may have come back before this is
    /// recorded (Kannel calls back at once): then the text is at once what it reported.
    public func sent(_ id: Int64, body: String) async throws {
        try await database.query(
            """
            UPDATE sms_outbox SET body = \(body), sent_at = now(),
                status = CASE WHEN delivered_at IS NOT NULL THEN 'delivered' WHEN report IN (2, 16) THEN 'failed' ELSE 'sent' END,
                last_error = CASE WHEN report IN (2, 16) THEN 'the carrier did not deliver it (report ' || report || ')' END
            WHERE id = \(id) AND status = 'sending'
            """, logger: logger)
    }

    /// The gateway did not take it: tried again after `retryIn`, or failed for good (nil).
    public func notSent(_ id: Int64, body: String?, error: String, retryIn: Duration?) async throws {
        let error = String(error.prefix(500))
        let seconds = retryIn.map { Double($0.components.seconds) }
        try await database.query(
            """
            UPDATE sms_outbox SET body = coalesce(\(body), body), last_error = \(error),
                status = CASE WHEN \(seconds)::float8 IS NULL THEN 'failed' ELSE 'queued' END,
                next_attempt_at = now() + make_interval(secs => coalesce(\(seconds)::float8, 0))
            WHERE id = \(id) AND status = 'sending'
            """, logger: logger)
    }

    /// A delivery report from the gateway (Kannel's types): 1 delivered, 2 and 16 not
    /// delivered, 4 and 8 on the way (which never hide a final one: reports may come in any
    /// order). A report about a text still being marked sent is kept for `sent` to apply.
    /// False when no text handed to the gateway has this id.
    public func report(_ id: Int64, type: Int) async throws -> Bool {
        try await database.withTransaction(logger: logger) { connection in
            let before = try await connection.run(
                """
                SELECT \(unescaped: Self.columns) FROM sms_outbox
                WHERE id = \(id) AND (status IN ('sent', 'delivered', 'failed') AND sent_at IS NOT NULL OR status = 'sending')
                FOR UPDATE
                """, logger: logger
            ).records(SMSMessage.init).first
            guard let before else { return false }
            let after = try await connection.run(
                """
                UPDATE sms_outbox SET report = CASE WHEN report IN (1, 2, 16) AND \(type) IN (4, 8) THEN report ELSE \(type) END,
                    delivered_at = CASE WHEN \(type) = 1 THEN coalesce(delivered_at, now()) ELSE delivered_at END,
                    status = CASE WHEN status = 'sending' THEN status
                        WHEN \(type) = 1 THEN 'delivered' WHEN \(type) IN (2, 16) THEN 'failed' ELSE status END,
                    last_error = CASE WHEN status <> 'sending' AND \(type) IN (2, 16)
                        THEN 'the carrier did not deliver it (report ' || \(type) || ')' ELSE last_error END
                WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(SMSMessage.init)
            try await AuditTrail.write(
                AuditChange("sms_report", before: before, after: after), actor: nil, on: connection, logger: logger)
            return true
        }
    }

    /// The outbox, newest first, a page at a time; only `status` when given.
    public func list(status: SMSStatus?, after cursor: String?, limit: Int) async throws -> Page<SMSMessage> {
        let after = try Cursor.parts(of: cursor, count: 1) { Int64($0[0]) != nil }
        var query = FilteredQuery("SELECT \(Self.columns) FROM sms_outbox")
        if let status { query.filter("status = {}", status.rawValue) }
        if let after, let id = Int64(after[0]) { query.filter("id < {}", id) }
        let rows = try await database.query(query.page(orderBy: "id DESC", limit: limit), logger: logger).records(SMSMessage.init)
        let fetched = FetchedPage(rows, limit: limit) { [String($0.id)] }
        return fetched.page(fetched.rows)
    }

    /// Staff send a failed text again, from its first try; audited as `retry_sms`.
    public func retry(_ id: Int64, actor: Identity?) async throws -> SMSMessage {
        try await database.withTransaction(logger: logger) { connection in
            let before = try await connection.run(
                "SELECT \(unescaped: Self.columns) FROM sms_outbox WHERE id = \(id) FOR UPDATE", logger: logger
            ).records(SMSMessage.init).first
            guard let before else { throw StoreError.notFound("No text of the outbox has id \(id).") }
            guard before.status == .failed else {
                throw StoreError.conflict("Only a failed text is sent again; this one is \(before.status).")
            }
            let after = try await connection.run(
                """
                UPDATE sms_outbox SET status = 'queued', attempts = 0, next_attempt_at = now(), report = NULL
                WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(SMSMessage.init)
            try await AuditTrail.write(
                AuditChange("retry_sms", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    /// A reply to a text that came in, queued in the same transaction that records it.
    static func reply(
        to phone: String, user: UUID?, kind: String, params: [String: String], on connection: PostgresConnection, logger: Logger
    ) async throws {
        let params = String(decoding: try JSONEncoder().encode(params), as: UTF8.self)
        try await connection.run(
            """
            INSERT INTO sms_outbox (user_id, phone, kind, params) VALUES (\(user), \(phone), \("reply_" + kind), \(params)::jsonb)
            """, logger: logger
        ).collect()
    }

    private static let columns = """
        id, phone, kind, status, attempts, body, last_error,
        CASE WHEN status IN ('queued', 'sending') THEN next_attempt_at END AS next_attempt_at, sent_at, delivered_at, created_at
        """
}

extension SMSMessage: Audited {
    static let auditEntity = "sms"
    var auditID: String { String(id) }

    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), phone: try row.value("phone"), kind: try row.value("kind"), status: try row.value("status"),
            attempts: Int(try row.value("attempts", as: Int32.self)), body: try row.value("body"), lastError: try row.value("last_error"),
            nextAttemptAt: try row.value("next_attempt_at"), sentAt: try row.value("sent_at"), deliveredAt: try row.value("delivered_at"),
            createdAt: try row.value("created_at"))
    }
}

extension SMSClaim {
    init(_ row: NamedColumns) throws {
        let params = try JSONDecoder().decode([String: String].self, from: Data(try row.value("params", as: String.self).utf8))
        self.init(
            id: try row.value("id"), phone: try row.value("phone"), kind: try row.value("kind"), params: params,
            language: try row.value("display_language"), attempts: Int(try row.value("attempts", as: Int32.self)))
    }
}
