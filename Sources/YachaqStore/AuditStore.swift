import Foundation
import PostgresNIO
import YachaqDomain

/// One row of the audit trail.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: Date
    public var actorID: UUID?
    public var action: String
    public var entity: String
    public var entityID: String
    public var before: JSONValue?
    public var after: JSONValue?
}

/// Reads the append-only audit trail (`AuditTrail` writes it, in each write's transaction).
public struct AuditStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Newest first, optionally of one entity kind and id (ids compare in lower case, as
    /// the trail writes them).
    public func list(entity: String?, entityID: String?, after cursor: String?, limit: Int) async throws -> Page<AuditEntry> {
        let after = try Cursor.parts(of: cursor, count: 1) { Int64($0[0]) != nil }
        var query = FilteredQuery("SELECT id, at, actor_id, action, entity, entity_id, before::text, after::text FROM audit_log")
        if let entity { query.filter("entity = {}", entity) }
        if let entityID { query.filter("entity_id = {}", entityID.lowercased()) }
        if let after, let id = Int64(after[0]) { query.filter("id < {}", id) }
        let rows = try await database.query(query.page(orderBy: "id DESC", limit: limit)).records(AuditEntry.init)
        let fetched = FetchedPage(rows, limit: limit) { [String($0.id)] }
        return fetched.page(fetched.rows)
    }
}

extension AuditEntry {
    init(_ row: NamedColumns) throws {
        // A plain decoder: the stored names are the API's already, and stay as they are.
        func json(_ column: String) throws -> JSONValue? {
            let text: String? = try row.value(column)
            return try text.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        }
        self.init(
            id: try row.value("id"), at: try row.value("at"), actorID: try row.value("actor_id"), action: try row.value("action"),
            entity: try row.value("entity"), entityID: try row.value("entity_id"), before: try json("before"), after: try json("after")
        )
    }
}
