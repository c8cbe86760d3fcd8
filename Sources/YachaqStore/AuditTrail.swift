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
public struct AuditChange: Sendable {
    let action: String
    let entity: String
    let entityID: String
    let before: String?
    let after: String?

    /// A change to `record` (`before`, `after`, or both): its kind and id come from the record.
    init<Record: Audited>(_ action: String, before: Record?, after: Record?) throws {
        self.action = action
        entity = Record.auditEntity
        entityID = after?.auditID ?? before?.auditID ?? ""
        self.before = try before.map(Self.json)
        self.after = try after.map(Self.json)
    }

    /// What is not one record of the API, such as a bulk load: what it added, as `after`.
    public init(_ action: String, entity: String, id: String, after: some Encodable) throws {
        self.action = action
        self.entity = entity
        entityID = id
        before = nil
        self.after = try Self.json(after)
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}

/// The only writer of the append-only `audit_log`: every store's write calls it on the
/// connection of its own transaction, so the change and its trail commit together.
public enum AuditTrail {
    /// Writes the changes in one statement, however many.
    public static func write(_ changes: [AuditChange], actor: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        guard !changes.isEmpty else { return }
        // Arrays of optionals do not bind; '' stands for NULL and NULLIF restores it.
        try await connection.run(
            """
            INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
            SELECT \(actor), action, entity, entity_id, NULLIF(before, '')::jsonb, NULLIF(after, '')::jsonb
            FROM unnest(\(changes.map(\.action))::text[], \(changes.map(\.entity))::text[], \(changes.map(\.entityID))::text[],
                        \(changes.map { $0.before ?? "" })::text[], \(changes.map { $0.after ?? "" })::text[])
                AS change (action, entity, entity_id, before, after)
            """, logger: logger)
    }

    public static func write(_ change: AuditChange, actor: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        try await write([change], actor: actor, on: connection, logger: logger)
    }
}

extension UUID {
    /// The id as the audit trail's `entity_id` and the API write it.
    var lowercased: String { uuidString.lowercased() }
}
