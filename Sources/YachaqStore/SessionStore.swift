import Crypto
import Foundation
import PostgresNIO
import YachaqDomain

/// Sign-in sessions behind bearer tokens, and the throttle on failed sign-ins.
public struct SessionStore: Sendable {
    let database: Database
    let logger: Logger
    let cache: SignInCache?

    public init(database: Database, logger: Logger, cache: SignInCache? = nil) {
        self.database = database
        self.logger = logger
        self.cache = cache
    }

    /// A new session for the user: the token is returned once and only its hash is kept.
    public func create(userID: UUID, lifetime: Duration) async throws -> (token: String, expiresAt: Date) {
        let token = Data.random(count: 32).base64URLEncoded
        let seconds = Double(lifetime.components.seconds)
        let session = try await database.withTransaction(logger: logger) { connection in
            let session = try await connection.run(
                """
                INSERT INTO sessions (token_hash, user_id, expires_at)
                VALUES (\(Self.hash(token)), \(userID), now() + make_interval(secs => \(seconds)))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(Session.init)
            try await AuditTrail.write(AuditChange("sign_in", before: nil, after: session), actor: userID, on: connection, logger: logger)
            return session
        }
        return (token, session.expiresAt)
    }

    /// Who the token signs in, if it is known, unexpired and not revoked.
    public func identity(token: String) async throws -> Identity? {
        try await signedIn(token: token)?.identity
    }

    /// `identity(token:)` with what a page shows of the user: the login and the language the
    /// user chose last.
    public func signedIn(token: String) async throws -> SignInCache.SignedIn? {
        let hash = Self.hash(token)
        let key = Data(hash.readableBytesView)
        let (remembered, generation) = cache?.lookup(key) ?? (nil, nil)
        if let remembered { return remembered }
        let rows = try await database.query(
            """
            SELECT u.id, u.role, u.organization_id, u.provider_id, u.login, u.display_language, s.expires_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(hash) AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = u.organization_id AND o.disabled_at IS NOT NULL)
            """)
        guard
            let (signedIn, expiresAt) = try await rows.records({ row in
                let identity = Identity(
                    userID: try row.value("id"), role: try row.value("role"), organizationID: try row.value("organization_id"),
                    providerID: try row.value("provider_id"))
                let signedIn: SignInCache.SignedIn = (
                    identity: identity, login: try row.value("login", as: String.self),
                    language: try row.value("display_language", as: String.self)
                )
                return (signedIn, try row.value("expires_at", as: Date.self))
            }).first
        else { return nil }
        if let generation { cache?.remember(key, signedIn, sessionExpiresAt: expiresAt, generation: generation) }
        return signedIn
    }

    /// Revokes the token (sign-out); true if it was live.
    @discardableResult
    public func revoke(token: String) async throws -> Bool {
        let revoked = try await database.withTransaction(logger: logger) { connection in
            let revoked = try await connection.run(
                """
                UPDATE sessions SET revoked_at = now() WHERE token_hash = \(Self.hash(token)) AND revoked_at IS NULL
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).records(Session.init)
            guard let after = revoked.first else { return false }
            var before = after
            before.revokedAt = nil
            try await AuditTrail.write(
                AuditChange("sign_out", before: before, after: after), actor: after.userID, on: connection, logger: logger)
            return true
        }
        cache.forgetAll()
        return revoked
    }

    /// Until when sign-ins with this login from this client address are refused, if they are.
    public func blockedUntil(login: String, client: String) async throws -> Date? {
        let rows = try await database.query(
            """
            SELECT blocked_until FROM sign_in_failures
            WHERE login_key = \(NewUser.normalizedLogin(login)) AND client = \(client) AND blocked_until > now()
            """)
        for try await value in rows.decode(Date.self) { return value }
        return nil
    }

    /// Counts a failed sign-in; returns until when the login is now blocked for this client, if it is.
    @discardableResult
    public func recordFailure(login: String, client: String) async throws -> Date? {
        let rows = try await database.query("SELECT record_sign_in_failure(\(NewUser.normalizedLogin(login)), \(client))")
        for try await value in rows.decode(Date?.self) { return value }
        return nil
    }

    /// A successful sign-in forgives this client's failures with the login.
    public func clearFailures(login: String, client: String) async throws {
        try await database.query("DELETE FROM sign_in_failures WHERE login_key = \(NewUser.normalizedLogin(login)) AND client = \(client)")
    }

    private static let columns = "user_id, created_at, expires_at, revoked_at"

    static func hash(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: SHA256.hash(data: Data(token.utf8)))
    }
}

/// A sign-in session as the audit trail shows it: whose, and for how long. Never the
/// token, which only its holder has; the trail files it under the user's id.
struct Session: Audited {
    var userID: UUID
    var createdAt: Date
    var expiresAt: Date
    var revokedAt: Date?

    static let auditEntity = "session"
    var auditID: String { userID.lowercased }

    init(_ row: NamedColumns) throws {
        userID = try row.value("user_id")
        createdAt = try row.value("created_at")
        expiresAt = try row.value("expires_at")
        revokedAt = try row.value("revoked_at")
    }
}
