import Crypto
import Foundation
import PostgresNIO
import YachaqDomain

/// Sign-in sessions behind bearer tokens, and the throttle on failed sign-ins.
public struct SessionStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A new session for the user: the token is returned once and only its hash is kept.
    public func create(userID: UUID, lifetime: Duration) async throws -> (token: String, expiresAt: Date) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64URLEncoded
        let seconds = Double(lifetime.components.seconds)
        let rows = try await database.query("""
            WITH inserted AS (
                INSERT INTO sessions (token_hash, user_id, expires_at)
                VALUES (\(Self.hash(token)), \(userID), now() + make_interval(secs => \(seconds)))
                RETURNING user_id, expires_at
            ), audit AS (
                INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                SELECT user_id, 'sign_in', 'user', user_id::text, jsonb_build_object('expires_at', expires_at) FROM inserted
            )
            SELECT expires_at FROM inserted
            """)
        var expiresAt = Date()
        for try await value in rows.decode(Date.self) { expiresAt = value }
        return (token, expiresAt)
    }

    /// Who the token signs in, if it is known, unexpired and not revoked.
    public func identity(token: String) async throws -> Identity? {
        let rows = try await database.query("""
            SELECT u.id, u.role, u.organization_id, u.provider_id
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(Self.hash(token)) AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL
            """)
        for try await row in rows.decode((UUID, String, UUID?, UUID?).self) {
            guard let role = Role(rawValue: row.1) else { return nil }
            return Identity(userID: row.0, role: role, organizationID: row.2, providerID: row.3)
        }
        return nil
    }

    /// Revokes the token (sign-out); true if it was live.
    @discardableResult
    public func revoke(token: String) async throws -> Bool {
        let rows = try await database.query("""
            WITH revoked AS (
                UPDATE sessions SET revoked_at = now()
                WHERE token_hash = \(Self.hash(token)) AND revoked_at IS NULL
                RETURNING user_id
            ), audit AS (
                INSERT INTO audit_log (actor_id, action, entity, entity_id)
                SELECT user_id, 'sign_out', 'user', user_id::text FROM revoked
            )
            SELECT count(*) FROM revoked
            """)
        var count = 0
        for try await value in rows.decode(Int.self) { count = value }
        return count > 0
    }

    /// Until when sign-ins with this login from this client address are refused, if they are.
    public func blockedUntil(login: String, client: String) async throws -> Date? {
        let rows = try await database.query("""
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

    static func hash(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: SHA256.hash(data: Data(token.utf8)))
    }
}
