import Foundation
import PostgresNIO
import YachaqDomain

public struct OrganizationStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private static let constraints: [String: ConstraintMeaning] = [
        "organizations_ubigeo_fkey": .invalid(field: "ubigeo", message: "no district has this ubigeo"),
        "organizations_tax_id_key": .conflict("An organisation with this RUC (tax_id) is already registered."),
    ]

    /// Creates the organisation and its audit row in one statement (so, one transaction).
    public func create(_ input: NewOrganization, actor: Identity?) async throws -> Organization {
        let new = try input.validated()
        return try await translatingConstraints(Self.constraints) {
            let rows = try await database.query("""
                WITH inserted AS (
                    INSERT INTO organizations (name, kind, ubigeo, tax_id, contact)
                    VALUES (\(new.name), \(new.kind.rawValue), \(new.ubigeo.code), \(new.taxId), \(new.contact))
                    RETURNING *
                ), audit AS (
                    INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                    SELECT \(actor?.userID), 'create', 'organization', id::text, to_jsonb(inserted) - 'name_key' FROM inserted
                )
                SELECT \(unescaped: Self.columns) FROM inserted
                """)
            return try await Self.decode(rows).first!.organization
        }
    }

    public func find(_ id: UUID) async throws -> Organization? {
        try await Self.decode(database.query("SELECT \(unescaped: Self.columns) FROM organizations WHERE id = \(id)")).first?.organization
    }

    /// By name (accents and case ignored), optionally of one kind and containing `search`.
    public func list(kind: OrganizationKind?, search: String?, after cursor: String?, limit: Int) async throws -> Page<Organization> {
        var afterKey: String?, afterID: UUID?
        if let cursor {
            guard let parts = Cursor.decode(cursor, count: 2), let id = UUID(uuidString: parts[1]) else {
                throw ValidationError(field: "cursor", "is not a cursor this list gave out")
            }
            (afterKey, afterID) = (parts[0], id)
        }
        let pattern = search.map { "%\(likeEscaped($0))%" }
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM organizations
            WHERE (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue)::text)
              AND (\(pattern)::text IS NULL OR name_key LIKE search_key(\(pattern)::text))
              AND (\(afterKey)::text IS NULL OR (name_key, id) > (\(afterKey)::text, \(afterID)::uuid))
            ORDER BY name_key, id
            LIMIT \(limit + 1)
            """)
        return Page(fetched: try await Self.decode(rows), limit: limit, item: \.organization,
                    cursor: { Cursor.encode([$0.nameKey, $0.organization.id.uuidString]) })
    }

    private static let columns = "id, name, kind, ubigeo, tax_id, contact, created_at, name_key"

    /// Rows of `columns`, each with its sort key for cursors.
    private static func decode(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> [(organization: Organization, nameKey: String)] {
        var organizations: [(Organization, String)] = []
        for try await row in rows.decode((UUID, String, String, String, String?, String?, Date, String).self) {
            organizations.append((Organization(id: row.0, name: row.1, kind: OrganizationKind(rawValue: row.2)!, ubigeo: row.3, taxId: row.4, contact: row.5, createdAt: row.6), row.7))
        }
        return organizations
    }
}

/// Makes `%`, `_` and `\` in user text match themselves in a LIKE pattern.
func likeEscaped(_ text: String) -> String {
    var escaped = ""
    for character in text {
        if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
        escaped.append(character)
    }
    return escaped
}
