import Foundation
import PostgresNIO
import YachaqDomain

/// Accounts of people who sign in.
public struct UserStore: Sendable {
    let database: Database
    let logger: Logger
    /// Told after a change to who a token signs in (`SignInCache`).
    let signIns: SignInCache?

    public init(database: Database, logger: Logger, signIns: SignInCache? = nil) {
        self.database = database
        self.logger = logger
        self.signIns = signIns
    }

    /// Creates a user whose password has been hashed already (never pass the password here),
    /// checking that its organisation exists and is of a kind its role belongs to.
    public func create(_ draft: UserDraft, passwordHash: String, actor: Identity?) async throws -> User {
        try await database.withTransaction(logger: logger) { connection in
            if let organizationID = draft.organizationID, let kinds = draft.role.organizationKinds {
                let rows = try await connection.run(
                    "SELECT kind FROM organizations WHERE id = \(organizationID) AND disabled_at IS NULL FOR SHARE", logger: logger)
                guard let kind = try await rows.decode(String.self).first(where: { _ in true }) else {
                    throw InvalidInput(field: "organization_id", "no enabled organisation has this id")
                }
                guard kinds.contains(where: { $0.rawValue == kind }) else {
                    let allowed = kinds.map(\.rawValue).sorted().joined(separator: " or ")
                    throw InvalidInput(field: "organization_id", "a \(draft.role.rawValue) user belongs to a \(allowed), not a \(kind)")
                }
            }
            let rows = try await connection.run(
                """
                INSERT INTO users (login, password_hash, role, organization_id, provider_id, display_language)
                VALUES (\(draft.login), \(passwordHash), \(draft.role.rawValue), \(draft.organizationID), \(draft.providerID),
                    \(draft.displayLanguage.rawValue))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            let user = try await rows.record(User.init)
            try await AuditTrail.write(
                AuditChange("create", before: nil, after: user), actor: actor?.userID, on: connection, logger: logger)
            return user
        }
    }

    /// Links a provider user to the profile it just registered, in the caller's transaction.
    static func linkProvider(_ providerID: UUID, to userID: UUID, actor: Identity?, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        let before = try await records(
            connection.run("SELECT \(unescaped: columns) FROM users WHERE id = \(userID) FOR UPDATE", logger: logger))
        let after = try await records(
            connection.run(
                """
                UPDATE users SET provider_id = \(providerID) WHERE id = \(userID) AND provider_id IS NULL RETURNING \(unescaped: columns)
                """, logger: logger))
        guard let before = before.first, let after = after.first else {
            throw StoreError.conflict("This user already speaks for a provider profile.")
        }
        try await AuditTrail.write(
            AuditChange("link_provider", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
    }

    /// The language the user reads pages in, remembered across browsers; unchanged: no write.
    public func setDisplayLanguage(_ id: UUID, to language: DisplayLanguage, actor: Identity?) async throws {
        defer { signIns.forgetAll() }  // after COMMIT: pages read the language from the sign-in
        try await database.withTransaction(logger: logger) { connection in
            let before = try await Self.records(
                connection.run("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id) FOR UPDATE", logger: logger))
            guard let before = before.first else { throw StoreError.notFound("No user has id \(id).") }
            guard before.displayLanguage != language else { return }
            let after = try await Self.records(
                connection.run(
                    "UPDATE users SET display_language = \(language.rawValue) WHERE id = \(id) RETURNING \(unescaped: Self.columns)",
                    logger: logger))
            try await AuditTrail.write(
                AuditChange("set_language", before: before, after: after.first), actor: actor?.userID, on: connection, logger: logger)
        }
    }

    /// The users of an organisation, or those of none (admins, providers), by login.
    public func list(organizationID: UUID?, limit: Int = 200) async throws -> [User] {
        let query: PostgresQuery =
            if let organizationID {
                "SELECT \(unescaped: Self.columns) FROM users WHERE organization_id = \(organizationID) ORDER BY login LIMIT \(limit)"
            } else {
                "SELECT \(unescaped: Self.columns) FROM users WHERE organization_id IS NULL ORDER BY login LIMIT \(limit)"
            }
        return try await Self.records(database.query(query))
    }

    /// Disables the account (its sessions end) or enables it again. `allowed` sees the
    /// account, locked, before anything changes (staff do not touch admins' accounts).
    public func setDisabled(_ id: UUID, _ disabled: Bool, actor: Identity?, allowed: @Sendable (User) throws -> Void) async throws -> User {
        try await change(id, action: disabled ? "disable" : "enable", actor: actor, allowed: allowed) { connection in
            guard disabled else {
                return try await connection.run(
                    "UPDATE users SET disabled_at = NULL WHERE id = \(id) RETURNING \(unescaped: Self.columns)", logger: logger)
            }
            try await connection.execute(
                "UPDATE sessions SET revoked_at = now() WHERE user_id = \(id) AND revoked_at IS NULL", logger: logger)
            return try await connection.run(
                "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = \(id) RETURNING \(unescaped: Self.columns)",
                logger: logger)
        }
    }

    /// A new password (hashed already, never the password); every session of the account ends.
    public func resetPassword(_ id: UUID, hash: String, actor: Identity?, allowed: @Sendable (User) throws -> Void) async throws -> User {
        try await change(id, action: "reset_password", actor: actor, allowed: allowed) { connection in
            try await connection.execute(
                "UPDATE sessions SET revoked_at = now() WHERE user_id = \(id) AND revoked_at IS NULL", logger: logger)
            return try await connection.run(
                "UPDATE users SET password_hash = \(hash) WHERE id = \(id) RETURNING \(unescaped: Self.columns)", logger: logger)
        }
    }

    /// One change to a user: locked, checked by `allowed`, made by `update`, audited as `action`.
    private func change(
        _ id: UUID, action: String, actor: Identity?, allowed: @Sendable (User) throws -> Void,
        update: @Sendable (PostgresConnection) async throws -> PostgresRowSequence
    ) async throws -> User {
        defer { signIns.forgetAll() }  // after COMMIT: the change may end sign-ins
        return try await database.withTransaction(logger: logger) { connection in
            let locked = try await Self.records(
                connection.run("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id) FOR UPDATE", logger: logger))
            guard let before = locked.first else { throw StoreError.notFound("No user has id \(id).") }
            try allowed(before)
            guard let after = try await Self.records(update(connection)).first else { throw StoreError.notFound("No user has id \(id).") }
            try await AuditTrail.write(
                AuditChange(action, before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    public func find(_ id: UUID) async throws -> User? {
        try await Self.records(database.query("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id) AND disabled_at IS NULL"))
            .first
    }

    /// The enabled user with this login and its password hash, for signing in.
    public func credentials(login: String) async throws -> (user: User, passwordHash: String)? {
        let rows = try await database.query(
            """
            SELECT \(unescaped: Self.columns), password_hash FROM users
            WHERE login = \(NewUser.normalizedLogin(login)) AND disabled_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = organization_id AND o.disabled_at IS NOT NULL)
            """)
        return try await rows.records { row in (try User(row), try row.value("password_hash", as: String.self)) }.first
    }

    private static let columns = "id, login, role, organization_id, provider_id, display_language, created_at, disabled_at"

    private static func records(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> [User] {
        try await rows.records(User.init)
    }
}

extension User: Audited {
    static let auditEntity = "user"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), login: try row.value("login"), role: try row.value("role"),
            organizationID: try row.value("organization_id"),
            providerID: try row.value("provider_id"), displayLanguage: try row.value("display_language"),
            createdAt: try row.value("created_at"), disabledAt: try row.value("disabled_at")
        )
    }
}
