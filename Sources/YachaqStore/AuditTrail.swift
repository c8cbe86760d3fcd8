import Foundation
import PostgresNIO
import YachaqDomain

/// A record the audit trail can name: its kind (`entity`) and its id.
protocol Audited: Encodable {
    static var auditEntity: String { get }
    var auditID: String { get }
}

/// One change to one record, as the trail keeps it: `before` and `after` are the record as
/// the API shows it to staff (private fields included), in the API's JSON.
struct AuditChange {
    var action: String
    var entity: String
    var entityID: String
    var before: String?
    var after: String?

    init(_ action: String, entity: String, id: String, before: String? = nil, after: String? = nil) {
        self.action = action
        self.entity = entity
        self.entityID = id
        self.before = before
        self.after = after
    }

    /// A change to `record` (`before`, `after`, or both): its kind and id come from the record.
    init<Record: Audited>(_ action: String, before: Record?, after: Record?) throws {
        let id = after?.auditID ?? before?.auditID ?? ""
        self.init(action, entity: Record.auditEntity, id: id, before: try before.map(Self.json), after: try after.map(Self.json))
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}

/// The only writer of the append-only `audit_log`: every store's write calls it on the
/// connection of its own transaction, so the change and its trail commit together.
enum AuditTrail {
    /// Writes the changes in one statement, however many.
    static func write(_ changes: [AuditChange], actor: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        guard !changes.isEmpty else { return }
        // Arrays of optionals do not bind; '' stands for NULL and NULLIF restores it.
        try await connection.query(
            """
            INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
            SELECT \(actor), action, entity, entity_id, NULLIF(before, '')::jsonb, NULLIF(after, '')::jsonb
            FROM unnest(\(changes.map(\.action))::text[], \(changes.map(\.entity))::text[], \(changes.map(\.entityID))::text[],
                        \(changes.map { $0.before ?? "" })::text[], \(changes.map { $0.after ?? "" })::text[])
                AS change (action, entity, entity_id, before, after)
            """, logger: logger)
    }

    static func write(_ change: AuditChange, actor: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        try await write([change], actor: actor, on: connection, logger: logger)
    }
}

extension UUID {
    /// The id as the audit trail's `entity_id` and the API write it.
    var lowercased: String { uuidString.lowercased() }
}
