import Foundation
import PostgresNIO
import YachaqDomain

/// Communities, producer groups, municipalities and agencies.
public struct OrganizationStore: Sendable {
    let database: Database
    let logger: Logger
    /// Told after a change to who a token signs in (`SignInCache`).
    let signIns: SignInCache?

    public init(database: Database, logger: Logger, signIns: SignInCache? = nil) {
        self.database = database
        self.logger = logger
        self.signIns = signIns
    }

    public func create(_ draft: OrganizationDraft, actor: Identity?) async throws -> Organization {
        try await database.withTransaction(logger: logger) { connection in
            let organization = try await connection.run(
                """
                INSERT INTO organizations (name, kind, ubigeo, tax_id, contact)
                VALUES (\(draft.name), \(draft.kind.rawValue), \(draft.ubigeo.code), \(draft.taxID), \(draft.contact))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(Organization.init)
            try await AuditTrail.write(
                AuditChange("create", before: nil, after: organization), actor: actor?.userID, on: connection, logger: logger)
            return organization
        }
    }

    /// New name, district, RUC and contact (the kind stays: its users' roles depend on it).
    public func update(_ id: UUID, _ draft: OrganizationDraft, actor: Identity?) async throws -> Organization {
        try await change(id, action: "update", actor: actor) { connection in
            try await connection.run(
                """
                UPDATE organizations
                SET name = \(draft.name), ubigeo = \(draft.ubigeo.code), tax_id = \(draft.taxID), contact = \(draft.contact)
                WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """, logger: logger)
        }
    }

    /// Disables the organisation (its users' sessions end) or enables it again.
    public func setDisabled(_ id: UUID, _ disabled: Bool, actor: Identity?) async throws -> Organization {
        try await change(id, action: disabled ? "disable" : "enable", actor: actor) { connection in
            guard disabled else {
                return try await connection.run(
                    "UPDATE organizations SET disabled_at = NULL WHERE id = \(id) RETURNING \(unescaped: Self.columns)", logger: logger)
            }
            try await connection.execute(
                """
                UPDATE sessions SET revoked_at = now()
                WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE organization_id = \(id))
                """, logger: logger)
            return try await connection.run(
                "UPDATE organizations SET disabled_at = coalesce(disabled_at, now()) WHERE id = \(id) RETURNING \(unescaped: Self.columns)",
                logger: logger)
        }
    }

    /// One change to an organisation: locked, made by `update`, audited as `action`.
    private func change(
        _ id: UUID, action: String, actor: Identity?, update: @Sendable (PostgresConnection) async throws -> PostgresRowSequence
    ) async throws -> Organization {
        defer { signIns.forgetAll() }  // after COMMIT: a disabled organisation's users are signed out
        return try await database.withTransaction(logger: logger) { connection in
            let before = try await connection.run(
                "SELECT \(unescaped: Self.columns) FROM organizations WHERE id = \(id) FOR UPDATE", logger: logger
            ).records(Organization.init).first
            guard let before else { throw StoreError.notFound("No organisation has id \(id).") }
            guard let after = try await update(connection).records(Organization.init).first else {
                throw StoreError.notFound("No organisation has id \(id).")
            }
            try await AuditTrail.write(
                AuditChange(action, before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    public func find(_ id: UUID) async throws -> Organization? {
        try await database.query("SELECT \(unescaped: Self.columns) FROM organizations WHERE id = \(id)").records(Organization.init).first
    }

    /// By name (accents and case ignored), optionally of one kind and containing `search`.
    public func list(kind: OrganizationKind?, search: String?, after cursor: String?, limit: Int) async throws -> Page<Organization> {
        let after = try Cursor.parts(of: cursor, count: 2) { UUID(uuidString: $0[1]) != nil }
        var query = FilteredQuery("SELECT \(Self.columns), name_key FROM organizations")
        if let kind { query.filter("kind = {}", kind.rawValue) }
        if let search { query.filter("name_key LIKE search_key({})", "%\(likeEscaped(search))%") }
        if let after { query.filter("(name_key, id) > ({}, {}::uuid)", after[0], after[1]) }
        let rows = try await database.query(query.page(orderBy: "name_key, id", limit: limit))
            .records { row in (organization: try Organization(row), nameKey: try row.value("name_key", as: String.self)) }
        let fetched = FetchedPage(rows, limit: limit) { [$0.nameKey, $0.organization.id.lowercased] }
        return fetched.page(fetched.rows.map(\.organization))
    }

    private static let columns = "id, name, kind, ubigeo, tax_id, contact, created_at, disabled_at"
}

extension Organization: Audited {
    static let auditEntity = "organization"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), name: try row.value("name"), kind: try row.value("kind"), ubigeo: try row.value("ubigeo"),
            taxID: try row.value("tax_id"), contact: try row.value("contact"), createdAt: try row.value("created_at"),
            disabledAt: try row.value("disabled_at")
        )
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
