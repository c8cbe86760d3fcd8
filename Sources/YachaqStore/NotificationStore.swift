import Foundation
import PostgresNIO
import YachaqDomain

/// Notifications: written by the stores inside the transaction of the event that causes
/// them (`NotificationStore.invited(…)` and the like, on that transaction's connection), read
/// by their recipients.
public struct NotificationStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The user's notifications, newest first, a page at a time.
    public func list(userID: UUID, after cursor: String?, limit: Int) async throws -> Page<UserNotification> {
        let after = try Cursor.parts(of: cursor, count: 1) { Int64($0[0]) != nil }
        var query = FilteredQuery("SELECT id, kind, params::text AS params, subject, created_at FROM notifications")
        query.filter("user_id = {}", userID)
        if let after, let id = Int64(after[0]) { query.filter("id < {}", id) }
        let rows = try await database.query(query.page(orderBy: "id DESC", limit: limit)).records(UserNotification.init)
        let fetched = FetchedPage(rows, limit: limit) { [String($0.id)] }
        return fetched.page(fetched.rows)
    }

    /// A technician invited to a request: the users who speak for the application's profile,
    /// each with a code to answer by SMS (live for `codeLifetime`).
    static func invited(_ application: JobApplication, on connection: PostgresConnection, logger: Logger) async throws {
        try await notify(
            """
            SELECT u.id, 'invited', \(requestParams) || jsonb_build_object('who', o.name), \(freshCode),
                tstzrange(now(), now() + \(codeLifetime))
            FROM (SELECT {}::uuid AS r_id, {}::uuid AS p_id) given JOIN service_requests r ON r.id = r_id
            JOIN districts d ON d.ubigeo = r.ubigeo JOIN organizations o ON o.id = r.organization_id
            JOIN users u ON u.provider_id = p_id AND u.disabled_at IS NULL
            """, [application.requestID, application.providerID], subject: application.id, on: connection, logger: logger)
    }

    /// A technician applied: the community's or municipality's users of the request.
    static func applied(_ application: JobApplication, on connection: PostgresConnection, logger: Logger) async throws {
        try await notify(
            """
            SELECT u.id, 'applied', \(requestParams) || jsonb_build_object('who', p.full_name), NULL::text, NULL::tstzrange
            FROM service_requests r JOIN districts d ON d.ubigeo = r.ubigeo JOIN providers p ON p.id = {}
            JOIN users u ON u.organization_id = r.organization_id AND u.role IN ('community', 'municipality') AND u.disabled_at IS NULL
            WHERE r.id = {}
            """, [application.providerID, application.requestID], subject: application.id, on: connection, logger: logger)
    }

    /// A technician answered an invitation: the request's community or municipality hears it.
    static func answered(_ application: JobApplication, on connection: PostgresConnection, logger: Logger) async throws {
        try await notify(
            """
            SELECT u.id, 'answered', \(requestParams) || jsonb_build_object('who', p.full_name, 'answer', a.invitation_answer),
                NULL::text, NULL::tstzrange
            FROM applications a JOIN service_requests r ON r.id = a.request_id JOIN districts d ON d.ubigeo = r.ubigeo
            JOIN providers p ON p.id = a.provider_id
            JOIN users u ON u.organization_id = r.organization_id AND u.role IN ('community', 'municipality') AND u.disabled_at IS NULL
            WHERE a.id = {}
            """, [application.id], subject: application.id, on: connection, logger: logger)
    }

    /// Writes the notifications that `recipients` selects (user, kind, params, code, code_valid;
    /// `{}` where `values` go) about `subject`, and for each recipient who wants SMS its text
    /// in the outbox, in one statement of the event's own transaction. A code goes into the
    /// words of both.
    private static func notify(
        _ recipients: String, _ values: [UUID], subject: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        var statement = SQLText()
        statement.append("WITH chosen (user_id, kind, params, code, code_valid) AS (")
        statement.append(recipients, values.map { $0 as (any PostgresDynamicTypeEncodable)? })
        statement.append(
            """
            ), written AS (
                INSERT INTO notifications (user_id, kind, params, subject, code, code_valid)
                SELECT user_id, kind, CASE WHEN code IS NULL THEN params ELSE params || jsonb_build_object('code', code) END,
                    {}, code, code_valid
                FROM chosen
                RETURNING id, user_id, kind, params
            )
            INSERT INTO sms_outbox (user_id, phone, notification_id, kind, params)
            SELECT w.user_id, u.phone, w.id, w.kind, w.params FROM written w JOIN users u ON u.id = w.user_id WHERE u.sms
            """, subject)
        try await connection.run(statement.query, logger: logger).collect()
    }

    /// How long an answer code stays live.
    static let codeLifetime = "interval '14 days'"

    /// Four digits that are none of the recipient's (`u`) live codes. Two invitations in
    /// concurrent transactions may still draw the same: `notifications_one_live_code` refuses
    /// the second.
    private static let freshCode =
        """
        (SELECT c FROM (SELECT lpad(floor(random() * 10000)::int::text, 4, '0') AS c FROM generate_series(1, 16)) drawn
         WHERE c NOT IN (SELECT code FROM notifications live WHERE live.user_id = u.id AND live.code_valid @> now()) LIMIT 1)
        """

    /// What every notification about a request says of it (`r` the request, `d` its district).
    private static let requestParams =
        """
        jsonb_build_object('request', r.id::text, 'title', r.title, 'place', d.district, 'starts_on', lower(r.period)::text,
                           'ends_on', (upper(r.period) - 1)::text)
        """
}

extension UserNotification {
    init(_ row: NamedColumns) throws {
        let params = try JSONDecoder().decode([String: String].self, from: Data(try row.value("params", as: String.self).utf8))
        self.init(
            id: try row.value("id"), kind: try row.value("kind"), params: params, subject: try row.value("subject"),
            createdAt: try row.value("created_at"))
    }
}
