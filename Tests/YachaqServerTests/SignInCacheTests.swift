import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// The service remembers who a token signs in (`SignInCache`), and a sign-in ended elsewhere
/// (another replica, `yachaq user`, psql) ends in it when PostgreSQL announces the change.
/// (A sign-out or a disabled account in the same process is refused at once:
/// `SignInTests` and `AccountPageTests` use the token right after, with the cache on.)
@Suite struct SignInCacheTests {
    /// Asks `/v1/users/me` until the answer is `status` (`eventually`); true when it came.
    static func answers(_ status: HTTPResponse.Status, _ client: any TestClientProtocol, token: String) async throws -> Bool {
        try await eventually { try await client.send(.get, "/v1/users/me", token: token).status == status }
    }

    @Test func aSignInEndedElsewhereEndsHereWhenTheDatabaseSaysSo() async throws {
        let world = try await World.make()
        let token = try #require(world.tokens[.staff])
        try await TestDatabase.withClient(world.endpoint) { database in
            try await withApp(on: world.endpoint) { client in
                // Revoked behind the triggers' back (no notification): the service still knows
                // the token, which shows it answered from memory once it listens.
                #expect(try await Self.answers(.ok, client, token: token))
                let remembered = try await eventually {
                    try await database.withTransaction(logger: TestDatabase.logger) { connection in
                        _ = try await connection.query("SET LOCAL session_replication_role = replica", logger: TestDatabase.logger)
                        _ = try await connection.query("UPDATE sessions SET revoked_at = NULL", logger: TestDatabase.logger)
                    }
                    _ = try await client.send(.get, "/v1/users/me", token: token)  // remembered now, if listening
                    try await database.withTransaction(logger: TestDatabase.logger) { connection in
                        _ = try await connection.query("SET LOCAL session_replication_role = replica", logger: TestDatabase.logger)
                        _ = try await connection.query("UPDATE sessions SET revoked_at = now()", logger: TestDatabase.logger)
                    }
                    return try await client.send(.get, "/v1/users/me", token: token).status == .ok
                }
                #expect(remembered)

                // Any change to sessions, users or organisations is announced at COMMIT, and
                // every process forgets: the revoked token is refused from then on.
                try await database.query("UPDATE users SET display_language = display_language WHERE false")
                #expect(try await Self.answers(.unauthorized, client, token: token))
            }
        }
    }
}
