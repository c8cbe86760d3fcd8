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

    /// A technician invited to a request: the users who speak for the application's profile.
    static func invited(_ application: JobApplication, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            """
            INSERT INTO notifications (user_id, kind, params, subject)
            SELECT u.id, 'invited', \(unescaped: Self.requestParams) || jsonb_build_object('who', o.name), \(application.id)
            FROM service_requests r JOIN districts d ON d.ubigeo = r.ubigeo JOIN organizations o ON o.id = r.organization_id
            JOIN users u ON u.provider_id = \(application.providerID) AND u.disabled_at IS NULL
            WHERE r.id = \(application.requestID)
            """, logger: logger
        ).collect()
    }

    /// A technician applied: the community's or municipality's users of the request.
    static func applied(_ application: JobApplication, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            """
            INSERT INTO notifications (user_id, kind, params, subject)
            SELECT u.id, 'applied', \(unescaped: Self.requestParams) || jsonb_build_object('who', p.full_name), \(application.id)
            FROM service_requests r JOIN districts d ON d.ubigeo = r.ubigeo JOIN providers p ON p.id = \(application.providerID)
            JOIN users u ON u.organization_id = r.organization_id AND u.role IN ('community', 'municipality') AND u.disabled_at IS NULL
            WHERE r.id = \(application.requestID)
            """, logger: logger
        ).collect()
    }

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
