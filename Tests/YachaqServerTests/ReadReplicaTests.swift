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

    /// Not about lag: the standby may be an hour behind before it is left, so that a loaded
    /// machine never leaves it by accident. The rule for lag is asked with a time of the test's
    /// own (`ReadReplica.serves(writtenAt:now:)`).
    static let allowedLag: Duration = .seconds(3600)

    /// A process of the service on `endpoint` that reads from the standby at `standby`, and
    /// its `ReadReplica`, which tells how far that process knows the standby has replayed.
    static func app(_ endpoint: DatabaseEndpoint, standby: DatabaseEndpoint) throws -> (some ApplicationProtocol, ReadReplica) {
        var configuration = roomyConfiguration
        configuration.replicaMaxLag = allowedLag
        configuration.connectionWait = .seconds(5)  // a standby that is gone is left within seconds
        let primary = TestDatabase.makeClient(endpoint)
        let replica = ReadReplica(TestDatabase.makeClient(standby), of: primary, configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(
            configuration: configuration, database: primary, reference: try ReferenceData.load(endpoint), replica: replica,
            listening: try endpoint.connectionConfiguration(),
            logger: TestDatabase.logger)
        return (app, replica)
    }

    @Test func readsGoToTheStandbyWhileItIsCurrentAndWritersReadTheirOwnWrites() async throws {
        let (primary, endpoint) = try TestDatabase.privateMigratedCluster()
        let standby = try TestDatabase.standby(of: primary)
        let standbyEndpoint = standby.endpoint(database: "yachaq")
        let staff = try await World.staffToken(on: endpoint)
        let replay = { @Sendable (paused: Bool) in
            try await TestDatabase.withClient(standbyEndpoint) { database in
                _ = try await database.query(paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()")
            }
        }
        // Two processes of the service on the same primary and standby.
        let (first, firstReplica) = try Self.app(endpoint, standby: standbyEndpoint)
        let (second, secondReplica) = try Self.app(endpoint, standby: standbyEndpoint)
        /// Waits until both processes know that the standby shows everything committed until now.
        let caughtUp = { @Sendable (what: String) in
            let now = Date()
            let known = try await eventually { [firstReplica, secondReplica].allSatisfy { ($0.caughtUpTo ?? .distantPast) > now } }
            #expect(known, "\(what)")
        }

        try await first.test(.router) { client in
            try await second.test(.router) { (other) async throws -> Void in
                // The standby follows: a profile written on the primary is found by anyone.
                _ = try await client.send(.post, "/v1/providers", token: staff, json: Self.newProfile("Ayda Cutipa", national: "41000001"))
                try await caughtUp("the standby replays the first profile")
                #expect(try await Self.found(client, "Ayda") == ["Ayda Cutipa"])
                // A forged or mangled write cookie is no time at all: answered 200, from the standby.
                for forged in ["99999999999999999999", "9223372036854775807", "-1", "0", "nan", "1e3", "", "\u{0}"] {
                    #expect(try await Self.found(client, "Ayda", cookie: "yachaq_wrote=\(forged)") == ["Ayda Cutipa"], "\(forged)")
                }

                // Replay paused: the standby keeps what it had.
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

                // Further behind than the allowed lag, it is read by no one.
                let caughtUpTo = try #require(firstReplica.caughtUpTo)
                let allowed = Self.allowedLag / .seconds(1)
                #expect(firstReplica.serves(writtenAt: nil, now: caughtUpTo + allowed - 1))
                #expect(!firstReplica.serves(writtenAt: nil, now: caughtUpTo + allowed + 1))

                // Replaying again, it catches up and serves again: a row written straight into the
                // primary (no one's write through the service) is missing there while it is paused.
                try await replay(false)
                try await caughtUp("the standby replays the second profile")
                try await replay(true)
                try await TestDatabase.withClient(endpoint) { database in
                    _ = try await database.query("UPDATE providers SET full_name = 'Benita Quispe Mamani' WHERE national_id = '41000002'")
                }
                #expect(try await Self.found(client, "Benita") == ["Benita Quispe"], "the standby serves again")
                try await replay(false)
                #expect(try await eventually { try await Self.found(client, "Benita") == ["Benita Quispe Mamani"] }, "replays the change")

                // /metrics shows the replica's pool and that it answers.
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains(#"yachaq_db_connection_wait_seconds_count{pool="replica"}"#))
                #expect(Self.gauge("yachaq_read_replica_up", in: metrics) == 1)
                #expect(Self.gauge("yachaq_read_replica_lag_seconds", in: metrics).map { $0 >= 0 && $0 < allowed } == true)

                // The standby gone: reads go to the primary, and none fails.
                try standby.stop()
                try await TestDatabase.withClient(endpoint) { database in
                    _ = try await database.query("UPDATE providers SET full_name = 'Benita Mamani' WHERE national_id = '41000002'")
                }
                #expect(try await eventually { try await Self.found(client, "Benita") == ["Benita Mamani"] }, "reads leave it")
                let down = try await eventually {
                    let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                    return Self.gauge("yachaq_read_replica_up", in: text) == 0
                }
                #expect(down, "/metrics shows the replica down")
            }
        }
    }
}
