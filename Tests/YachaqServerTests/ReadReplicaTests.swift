import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
@testable import YachaqServer
import YachaqStore
import YachaqTestSupport

/// Search, matching, reports and exports read from a real streaming standby
/// (`pg_basebackup -R`) while it is current; whoever just wrote reads the primary; a standby
/// that falls behind is left for the primary until it catches up.
@Suite struct ReadReplicaTests {
    /// A published profile named `name`, created by `token`'s user through the API.
    static func newProfile(_ name: String, national id: String) -> String {
        """
        {"full_name":"\(name)","kind":"yachachiq","gender":"female","national_id":"\(id)","home_ubigeo":"081206",
         "daily_rate_cents":7000,"travel_radius_km":40,"languages":[{"code":"quz","speaking":4,"understanding":4,"reading":2,"writing":1}],
         "skills":[{"code":"camelids.fibre","level":3,"years":5}],"consent_to_publish":true}
        """
    }

    /// The names a provider search for `q` finds, as `token`'s user (nil: anonymous), with `cookie`.
    static func found(_ client: some TestClientProtocol, _ q: String, token: String? = nil, cookie: String? = nil) async throws -> [String]
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: "/v1/providers?q=\(q)", method: .get, headers: headers, body: nil)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try response.items().compactMap { $0["full_name"] as? String }
    }

    /// A write cookie counts only for a time this service could have set.
    @Test func aWriteCookieIsATimeOrNothing() {
        let now = Date()
        let written = Int64((now.timeIntervalSince1970 * 1000).rounded())
        #expect(
            ReadYourWritesMiddleware<AppRequestContext>.date(milliseconds: written).map { abs($0.timeIntervalSince(now)) < 0.01 } == true)
        #expect(
            ReadYourWritesMiddleware<AppRequestContext>.date(milliseconds: written + 30_000) != nil, "another clock half a minute ahead")
        for forged: Int64 in [.max, .min, -1, 0, written + 3_600_000] {
            #expect(ReadYourWritesMiddleware<AppRequestContext>.date(milliseconds: forged) == nil, "\(forged)")
        }
    }

    /// A gauge's value in Prometheus text.
    static func gauge(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    /// Waits (up to 20 s) until `condition` holds.
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("never: \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The service on `endpoint` with `replica` as its read replica, at most 5 s behind.
    static func app(_ endpoint: DatabaseEndpoint, replica: DatabaseEndpoint) throws -> some ApplicationProtocol {
        var configuration = roomyConfiguration
        configuration.replicaMaxLag = .seconds(5)
        configuration.connectionWait = .seconds(5)
        return buildApplication(
            configuration: configuration, database: TestDatabase.makeClient(endpoint), readReplica: TestDatabase.makeClient(replica),
            listening: try endpoint.connectionConfiguration(), logger: TestDatabase.logger)
    }

    @Test func readsGoToTheStandbyWhileItIsCurrentAndWritersReadTheirOwnWrites() async throws {
        let (primary, endpoint) = try TestDatabase.privateMigratedCluster()
        let standby = try TestDatabase.standby(of: primary)
        let replicaEndpoint = standby.endpoint(database: "yachaq")
        let staff = try await World.staffToken(on: endpoint)
        let app = { @Sendable in try Self.app(endpoint, replica: replicaEndpoint) }
        let replay = { @Sendable (paused: Bool) in
            try await TestDatabase.withClient(replicaEndpoint) { database in
                try await database.query(paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()")
            }
        }

        // Two processes of the service on the same primary and standby.
        try await app().test(.router) { client in
            try await app().test(.router) { (other) async throws -> Void in
                // The standby follows: a profile written on the primary is found by anyone.
                _ = try await client.send(.post, "/v1/providers", token: staff, json: Self.newProfile("Ayda Cutipa", national: "41000001"))
                try await Self.eventually("the standby serves the first profile") {
                    try await Self.found(client, "Ayda") == ["Ayda Cutipa"]
                }
                try await Task.sleep(for: .milliseconds(300))  // both processes have seen the standby current
                // A forged or mangled write cookie is no time at all: answered 200, from the standby.
                for forged in ["99999999999999999999", "9223372036854775807", "-1", "0", "nan", "1e3", "", "\u{0}"] {
                    #expect(try await Self.found(client, "Ayda", cookie: "yachaq_wrote=\(forged)") == ["Ayda Cutipa"], "\(forged)")
                }

                // Replay paused: the standby keeps what it had, and its last known position stays fresh for 5 s.
                try await replay(true)
                let written = try await client.send(
                    .post, "/v1/providers", token: staff, json: Self.newProfile("Benita Quispe", national: "41000002"))
                #expect(written.status == .created)
                let stamp = try #require(written.headers[.setCookie]).split(separator: ";").first.map(String.init)
                #expect(try await Self.found(client, "Benita", token: staff) == ["Benita Quispe"], "the writer reads the primary")
                #expect(try await Self.found(client, "Benita").isEmpty, "anyone else reads the standby, which has not replayed it")

                // The other process knows nothing of this client's write but what the cookie says.
                #expect(try await Self.found(other, "Benita", token: staff, cookie: stamp) == ["Benita Quispe"])
                #expect(try await Self.found(other, "Benita", token: staff).isEmpty, "without the cookie: the standby")

                // Behind for longer than 5 s: everyone reads the primary.
                try await Self.eventually("reads leave a standby 5 s behind") {
                    try await Self.found(client, "Benita") == ["Benita Quispe"]
                }

                // Replaying again, it catches up and serves again: a row written straight into the
                // primary (no one's write through the service) is missing there while it is paused.
                try await replay(false)
                try await Task.sleep(for: .milliseconds(300))
                try await replay(true)
                try await TestDatabase.withClient(endpoint) { database in
                    try await database.query("UPDATE providers SET full_name = 'Benita Quispe Mamani' WHERE national_id = '41000002'")
                }
                #expect(try await Self.found(client, "Benita") == ["Benita Quispe"], "the standby serves again")
                try await replay(false)
                try await Self.eventually("the standby replays the change") {
                    try await Self.found(client, "Benita") == ["Benita Quispe Mamani"]
                }

                // /metrics shows the replica's pool and that it answers.
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains(#"yachaq_db_connection_wait_seconds_count{pool="replica"}"#))
                #expect(Self.gauge("yachaq_read_replica_up", in: metrics) == 1)
                #expect(Self.gauge("yachaq_read_replica_lag_seconds", in: metrics).map { $0 >= 0 && $0 < 5 } == true)

                // The standby gone: reads go to the primary, and none fails.
                try standby.stop()
                try await TestDatabase.withClient(endpoint) { database in
                    try await database.query("UPDATE providers SET full_name = 'Benita Mamani' WHERE national_id = '41000002'")
                }
                try await Self.eventually("reads leave a standby that is gone") {
                    try await Self.found(client, "Benita") == ["Benita Mamani"]
                }
                try await Self.eventually("/metrics shows the replica down") {
                    let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                    return Self.gauge("yachaq_read_replica_up", in: text) == 0
                }
            }
        }
    }
}
