import Foundation
import PostgresNIO
import YachaqDomain

/// One row of the audit trail.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: Date
    public var actorId: UUID?
    public var action: String
    public var entity: String
    public var entityId: String
    public var before: JSONValue?
    public var after: JSONValue?
}

/// Reads the append-only audit trail (the stores write it, each in its own write's transaction).
public struct AuditStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Newest first, optionally of one entity kind and id (ids compare in lower case, as
    /// PostgreSQL writes uuids).
    public func list(entity: String?, entityID: String?, after cursor: String?, limit: Int) async throws -> Page<AuditEntry> {
        var afterID: Int64?
        if let cursor {
            guard let parts = Cursor.decode(cursor, count: 1), let id = Int64(parts[0]) else {
                throw ValidationError(field: "cursor", "is not a cursor this list gave out")
            }
            afterID = id
        }
        let rows = try await database.query("""
            SELECT id, at, actor_id, action, entity, entity_id, before::text, after::text
            FROM audit_log
            WHERE (\(entity)::text IS NULL OR entity = \(entity)::text)
              AND (\(entityID)::text IS NULL OR entity_id = lower(\(entityID)::text))
              AND (\(afterID)::bigint IS NULL OR id < \(afterID)::bigint)
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """)
        let decoder = JSONDecoder()
        func json(_ text: String?) throws -> JSONValue? {
            try text.map { try decoder.decode(JSONValue.self, from: Data($0.utf8)) }
        }
        var items: [AuditEntry] = []
        for try await row in rows.decode((Int64, Date, UUID?, String, String, String, String?, String?).self) {
            items.append(AuditEntry(id: row.0, at: row.1, actorId: row.2, action: row.3, entity: row.4, entityId: row.5, before: try json(row.6), after: try json(row.7)))
        }
        return Page(fetched: items, limit: limit, item: { $0 }, cursor: { Cursor.encode([String($0.id)]) })
    }
}
