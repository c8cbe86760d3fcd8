import Foundation
import PostgresNIO
import YachaqDomain

public struct UserStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    private static let constraints: [String: ConstraintMeaning] = [
        "users_login": .conflict("This login is taken; choose another."),
        "users_organization_id_fkey": .invalid(field: "organization_id", message: "no organisation has this id"),
        "users_provider_id_fkey": .invalid(field: "provider_id", message: "no provider has this id"),
    ]

    /// Creates a user whose password has been hashed already (never pass the password here),
    /// checking that its organisation exists and is of a kind its role belongs to.
    public func create(_ input: NewUser, passwordHash: String, actor: Identity?) async throws -> User {
        let new = try input.validated()
        return try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { connection in
                if let organizationID = new.organizationId, let kinds = new.role.organizationKinds {
                    let rows = try await connection.query("SELECT kind FROM organizations WHERE id = \(organizationID) FOR SHARE", logger: logger)
                    var kind: String?
                    for try await value in rows.decode(String.self) { kind = value }
                    guard let kind else { throw ValidationError(field: "organization_id", "no organisation has this id") }
                    guard kinds.contains(where: { $0.rawValue == kind }) else {
                        throw ValidationError(field: "organization_id", "a \(new.role.rawValue) user belongs to a \(kinds.map(\.rawValue).sorted().joined(separator: " or ")), not a \(kind)")
                    }
                }
                let rows = try await connection.query("""
                    WITH inserted AS (
                        INSERT INTO users (login, password_hash, role, organization_id, provider_id, display_language)
                        VALUES (\(new.login), \(passwordHash), \(new.role.rawValue), \(new.organizationId), \(new.providerId), \(new.displayLanguage.rawValue))
                        RETURNING *
                    ), audit AS (
                        INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                        SELECT \(actor?.userID), 'create', 'user', id::text, to_jsonb(inserted) - 'password_hash' FROM inserted
                    )
                    SELECT \(unescaped: Self.columns) FROM inserted
                    """, logger: logger)
                return try await Self.decode(rows).first!
            }
        }
    }

    public func find(_ id: UUID) async throws -> User? {
        try await Self.decode(database.query("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id) AND disabled_at IS NULL")).first
    }

    /// The enabled user with this login and its password hash, for signing in.
    public func credentials(login: String) async throws -> (user: User, passwordHash: String)? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns), password_hash FROM users
            WHERE login = \(NewUser.normalizedLogin(login)) AND disabled_at IS NULL
            """)
        for try await row in rows.decode((UUID, String, String, UUID?, UUID?, String, Date, String).self) {
            return (Self.user(row.0, row.1, row.2, row.3, row.4, row.5, row.6), row.7)
        }
        return nil
    }

    private static let columns = "id, login, role, organization_id, provider_id, display_language, created_at"

    private static func decode(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> [User] {
        var users: [User] = []
        for try await row in rows.decode((UUID, String, String, UUID?, UUID?, String, Date).self) {
            users.append(user(row.0, row.1, row.2, row.3, row.4, row.5, row.6))
        }
        return users
    }

    private static func user(_ id: UUID, _ login: String, _ role: String, _ organization: UUID?, _ provider: UUID?, _ language: String, _ created: Date) -> User {
        User(id: id, login: login, role: Role(rawValue: role)!, organizationId: organization, providerId: provider, displayLanguage: DisplayLanguage(rawValue: language)!, createdAt: created)
    }
}
