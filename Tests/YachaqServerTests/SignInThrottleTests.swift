import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqActions
import YachaqServer
import YachaqTestSupport

/// Sign-in that a stranger cannot turn against a user (issue 9): failures count per login
/// and client address, reset on success, decay and expire; floods are refused at once.
@Suite struct SignInThrottleTests {
    /// The in-process client stands for a proxy we trust, so X-Forwarded-For names the client.
    static let behindProxy: ServerConfiguration = {
        var configuration = roomyConfiguration
        configuration.trustedProxies = [ClientAddressForTests.local]
        return configuration
    }()
    static let stranger = "203.0.113.9", owner = "198.51.100.7"

    static func credentials(_ login: String, _ password: String) -> String {
        #"{"login":"\#(login)","password":"\#(password)"}"#
    }

    @Test func aStrangerCannotLockTheOwnerOut() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint, configuration: Self.behindProxy) { client async throws in
            var statuses: [Int] = []
            for _ in 1...6 {
                let response = try await client.send(
                    .post, "/v1/auth/login", json: Self.credentials("admin-user", "guess"), from: Self.stranger)
                statuses.append(Int(response.status.code))
            }
            #expect(statuses == [401, 401, 401, 401, 429, 429])
            // The stranger's address stays blocked even with the right password…
            _ = try await client.send(.post, "/v1/auth/login", json: Self.credentials("admin-user", World.password), from: Self.stranger)
                .problem(.tooManyRequests)
            // …and the owner, from elsewhere, gets in; case and spaces in the login change nothing.
            let owner = try await client.send(
                .post, "/v1/auth/login", json: Self.credentials(" Admin-User ", World.password), from: Self.owner)
            #expect(owner.status == .ok)
        }
    }

    @Test func successResetsFailuresDecayAndOldRowsGo() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint, configuration: Self.behindProxy) { client async throws in
            func attempt(_ password: String) async throws -> Int {
                Int(
                    try await client.send(.post, "/v1/auth/login", json: Self.credentials("staff-user", password), from: Self.owner).status
                        .code)
            }
            for _ in 1...4 { #expect(try await attempt("typo") == 401) }
            #expect(try await attempt(World.password) == 200)
            for _ in 1...4 { #expect(try await attempt("typo") == 401) }
        }
        // Eight failures two hours ago are forgiven (one per quiet 15 minutes): the next one
        // counts as the first.
        _ = try await world.count(
            """
            UPDATE sign_in_failures SET failures = 8, last_failure_at = now() - interval '2 hours', blocked_until = NULL
            WHERE login_key = 'staff-user' RETURNING 1
            """)
        _ = try await world.count(
            "INSERT INTO sign_in_failures VALUES ('old-login', 'old-client', 3, now() - interval '2 days', NULL) RETURNING 1")
        try await withApp(on: world.endpoint, configuration: Self.behindProxy) { client async throws in
            #expect(
                try await client.send(.post, "/v1/auth/login", json: Self.credentials("staff-user", "typo"), from: Self.owner).status
                    == .unauthorized)
        }
        #expect(try await world.count("SELECT failures FROM sign_in_failures WHERE login_key = 'staff-user'") == 1)
        #expect(try await world.count("SELECT count(*) FROM sign_in_failures WHERE login_key = 'old-login'") == 0)
    }

    /// 64 bogus sign-ins at once from one address while the password checks are held: past
    /// that address's two checks at a time, each of the other 62 is answered 429 with
    /// Retry-After at once; a sign-in from another address in the middle of it is checked and
    /// gets in. (The checks go on once the 62 are answered, or after `Patience.condition`.)
    @Test func aFloodIsRefusedWhileOthersSignIn() async throws {
        let world = try await World.make()
        let released = Shared(false)
        let held = PasswordHasher(limits: .init(waiting: 0)) { password, hash in
            _ = try await eventually(every: .milliseconds(10)) { released.withLock { $0 } }
            return try await PasswordHasher.bcrypt(password, hash)
        }
        let (flood, owner) = try await withApp(on: world.endpoint, configuration: Self.behindProxy, hasher: held) { client async throws in
            try await withThrowingTaskGroup(of: (flood: Bool, status: Int, retryAfter: String?).self) { group in
                for index in 0..<64 {
                    group.addTask {
                        let response = try await client.send(
                            .post, "/v1/auth/login", json: Self.credentials("ghost-\(index)", "guess"), from: Self.stranger)
                        return (true, Int(response.status.code), response.headers[.retryAfter])
                    }
                }
                group.addTask {
                    let response = try await client.send(
                        .post, "/v1/auth/login", json: Self.credentials("community-user", World.password), from: Self.owner)
                    return (false, Int(response.status.code), nil)
                }
                var flood: [(Int, String?)] = [], owner: Int?
                for try await result in group {
                    if result.flood { flood.append((result.status, result.retryAfter)) } else { owner = result.status }
                    if flood.count == 62 { released.withLock { $0 = true } }
                }
                return (flood, owner)
            }
        }
        #expect(owner == 200)
        let refused = flood.filter { $0.0 == 429 }
        #expect(refused.count == 62 && flood.filter { $0.0 == 401 }.count == 2, "\(flood.map(\.0))")
        #expect(refused.allSatisfy { $0.1 == "1" })
    }
}

/// The name the server gives the in-process test client's address.
enum ClientAddressForTests {
    static let local = "local"
}
