import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqStore
import YachaqTestSupport

@Suite struct SignInTests {
    static func credentials(_ login: String, _ password: String) -> String {
        #"{"login":"\#(login)","password":"\#(password)"}"#
    }

    @Test func signsInThenOutAndTheTokenDies() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let response = try await client.send(.post, "/v1/auth/login", json: Self.credentials("Community-User", World.password))
            #expect(response.status == .ok)
            let body = try response.object()
            let token = try #require(body["token"] as? String)
            let user = try #require(body["user"] as? [String: Any])
            #expect(user["role"] as? String == "community")
            #expect(user["organization_id"] as? String == world.communityA.id.uuidString.lowercased())
            #expect(user["provider_id"] is NSNull)
            #expect(body["expires_at"] is String)

            let me = try await client.send(.get, "/v1/users/me", token: token)
            #expect(try me.object()["login"] as? String == "community-user")

            #expect(try await client.send(.post, "/v1/auth/logout", token: token).status == .noContent)
            _ = try await client.send(.get, "/v1/users/me", token: token).problem(.unauthorized)
        }
    }

    @Test func wrongPasswordAndUnknownLoginGetTheSameAnswer() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let wrong = try await client.send(.post, "/v1/auth/login", json: Self.credentials("admin-user", "not the password"))
            let unknown = try await client.send(.post, "/v1/auth/login", json: Self.credentials("nobody-here", "not the password"))
            let wrongProblem = try wrong.problem(.unauthorized)
            let unknownProblem = try unknown.problem(.unauthorized)
            #expect(wrongProblem["detail"] as? String == unknownProblem["detail"] as? String)
        }
    }

    @Test(arguments: ["{", #"{"login":"admin-user"}"#, #"{"login":1,"password":"x"}"#])
    func badBodiesAreProblems(_ body: String) async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let response = try await client.send(.post, "/v1/auth/login", json: body)
            _ = try response.problem(body == "{" ? .badRequest : .unprocessableContent)
        }
    }

    @Test func expiredAndGarbageTokensAre401() async throws {
        let world = try await World.make()
        let shortLived = try await TestDatabase.withClient(world.endpoint) { client in
            try await SessionStore(database: client, logger: TestDatabase.logger).create(
                userID: world.users[.staff]!.id, lifetime: .seconds(3600)
            ).token
        }
        try await withApp(on: world.endpoint) { client in
            #expect(try await client.send(.get, "/v1/users/me", token: shortLived).status == .ok)
            // Its hour passes at once (a one-second lifetime raced a loaded test run).
            _ = try await world.count(
                """
                UPDATE sessions SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
                WHERE user_id = \(world.users[.staff]!.id) AND expires_at > now() + interval '50 minutes' RETURNING 1
                """)
            _ = try await client.send(.get, "/v1/users/me", token: shortLived).problem(.unauthorized)
            _ = try await client.send(.get, "/v1/users/me", token: "made-up").problem(.unauthorized)
            let basic = try await client.execute(uri: "/v1/users/me", method: .get, headers: [.authorization: "Basic YTpi"])
            #expect(basic.headers[.wwwAuthenticate] == "Bearer")
            _ = try basic.problem(.unauthorized)
        }
    }

    /// Five failures block the login, the right password included, and an unknown login
    /// is blocked in exactly the same way, so the answers never tell which logins exist.
    @Test func throttlesRepeatedFailuresAlikeForKnownAndUnknownLogins() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            for login in ["provider-user", "ghost-user"] {
                var statuses: [Int] = []
                for _ in 1...6 {
                    statuses.append(
                        Int(try await client.send(.post, "/v1/auth/login", json: Self.credentials(login, "wrong password")).status.code))
                }
                #expect(statuses == [401, 401, 401, 401, 429, 429], "\(login)")
                let blocked = try await client.send(.post, "/v1/auth/login", json: Self.credentials(login, World.password))
                _ = try blocked.problem(.tooManyRequests)
                let retryAfter = try #require(blocked.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...30).contains(retryAfter))
            }
            // Another login is not affected.
            #expect(try await client.send(.post, "/v1/auth/login", json: Self.credentials("staff-user", World.password)).status == .ok)
        }
    }

    /// Failures arriving at once are each counted: the throttle's row lock serialises them.
    /// (Four, so that none of them is turned away by a block the others set.)
    @Test func concurrentFailuresAreAllCounted() async throws {
        let world = try await World.make()
        // Enough password checks at once for all four (the default turns the third away).
        var roomy = roomyConfiguration
        roomy.passwordChecks = .init(total: 8, perClient: 8, perMinute: 1_000_000, burst: 1_000_000)
        try await withApp(on: world.endpoint, configuration: roomy) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        _ = try await client.send(.post, "/v1/auth/login", json: Self.credentials("municipality-user", "wrong"))
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(
            try await world.count("SELECT failures FROM sign_in_failures WHERE login_key = 'municipality-user' AND client = 'local'") == 4)
    }

    @Test func passwordsAreNeverStoredNorLoggedInClear() async throws {
        let world = try await World.make()
        let recorder = LogRecorder()
        let password = "kuntur wasi 2026"
        try await withApp(on: world.endpoint, logger: recorder.logger()) { client in
            let created = try await client.send(
                .post, "/v1/users", token: world.tokens[.admin], json: #"{"login":"rosa","password":"\#(password)","role":"provider"}"#)
            #expect(created.status == .created)
            #expect(!String(buffer: created.body).contains(password))
            #expect(try await client.send(.post, "/v1/auth/login", json: Self.credentials("rosa", password)).status == .ok)
            #expect(try await client.send(.post, "/v1/auth/login", json: Self.credentials("rosa", password + "x")).status == .unauthorized)
        }
        #expect(!recorder.text.isEmpty)
        #expect(!recorder.text.contains(password))
        let stored = try await TestDatabase.withClient(world.endpoint) { client in
            try await client.query("SELECT password_hash FROM users WHERE login = 'rosa'").collect().first!.decode(String.self)
        }
        #expect(stored.hasPrefix("$2b$12$") && !stored.contains(password))
        #expect(
            try await world.count(
                "SELECT count(*) FROM audit_log WHERE after::text LIKE '%' || \(password) || '%' OR after ? 'password_hash'") == 0)
    }
}
