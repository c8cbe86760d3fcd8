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
        var statement = SQLText()
        insertion(changes, actor: actor, into: &statement)
        try await connection.execute(statement.query, logger: logger)
    }

    /// Appends `audited AS (INSERT …)`: the changes written by a data-modifying CTE of the
    /// write's own statement, which saves a round trip on a hot write (a payment).
    static func appendCTE(_ changes: [AuditChange], actor: UUID?, to statement: inout SQLText) {
        statement.append("audited AS (")
        insertion(changes, actor: actor, into: &statement)
        statement.append(")")
    }

    private static func insertion(_ changes: [AuditChange], actor: UUID?, into statement: inout SQLText) {
        // Arrays of optionals do not bind; '' stands for NULL and NULLIF restores it.
        statement.append(
            """
            INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
            SELECT NULLIF({}, '')::uuid, action, entity, entity_id, NULLIF(before, '')::jsonb, NULLIF(after, '')::jsonb
            FROM unnest({}::text[], {}::text[], {}::text[], {}::text[], {}::text[]) AS change (action, entity, entity_id, before, after)
            """, actor?.lowercased ?? "", changes.map(\.action), changes.map(\.entity), changes.map(\.entityID),
            changes.map { $0.before ?? "" },
            changes.map { $0.after ?? "" })
    }

    public static func write(_ change: AuditChange, actor: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        try await write([change], actor: actor, on: connection, logger: logger)
    }
}

extension UUID {
    /// The id as the audit trail's `entity_id` and the API write it.
    var lowercased: String { uuidString.lowercased() }
}
