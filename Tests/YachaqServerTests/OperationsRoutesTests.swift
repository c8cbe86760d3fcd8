import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqStore
import YachaqTestSupport

@Suite struct OperationsRoutesTests {
    @Test func healthIs200WithTheDatabaseUp() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            let body = try response.object()
            #expect(body["status"] as? String == "ok" && body["database"] as? String == "ok")
        }
    }

    /// Stops the cluster under a running service, then starts it again: health goes 503
    /// and comes back to 200 without restarting the service; liveness stays 200 throughout.
    /// A 5 s connection wait makes the check with the database gone answer within seconds;
    /// with it up, health is awaited rather than asked once, since a loaded machine may take
    /// longer than that to open the pool's first connection.
    @Test func healthFollowsTheDatabaseDownAndUp() async throws {
        let cluster = try TestDatabase.privateCluster()
        var configuration = roomyConfiguration
        configuration.connectionWait = .seconds(5)
        try await withApp(on: cluster.endpoint(), configuration: configuration) { client in
            let health = { @Sendable in try await client.execute(uri: "/health", method: .get).status }
            #expect(try await eventually { try await health() == .ok }, "healthy before the stop")

            try cluster.stop()
            let problem = try await client.execute(uri: "/health", method: .get).problem(.serviceUnavailable)
            #expect(problem["database"] as? String == "unreachable")
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok && String(buffer: live.body) == #"{"status":"ok"}"#, "alive while the database is down")

            try cluster.start()
            #expect(try await eventually(every: .milliseconds(250)) { try await health() == .ok }, "healthy again")
        }
    }

    /// Requests by route and status, the pool and the shortlist, in Prometheus text format;
    /// every response names its request.
    @Test func metricsShowRoutesThePoolAndTheShortlist() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let shortlist = try await client.send(.get, "/v1/requests/\(world.requestA.id)/matches", token: world.tokens[.community])
            #expect(shortlist.status == .ok)
            let id = try #require(shortlist.headers[HTTPField.Name("X-Request-Id")!])
            #expect(id.count >= 16 && id.allSatisfy(\.isHexDigit))
            let missing = try await client.execute(uri: "/v1/no-such-thing", method: .get)
            #expect(missing.headers[HTTPField.Name("X-Request-Id")!].map { $0 != id } == true)

            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            func value(_ prefix: String) -> Double? {
                lines.first { $0.hasPrefix(prefix) }.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
            }
            let route = #"http_route="/v1/requests/{id}/matches",http_request_method="GET",http_response_status_code="200""#
            #expect(value("http_server_request_duration_count{\(route)}").map { $0 >= 1 } == true, "\(text)")
            #expect(value("yachaq_shortlist_seconds_count").map { $0 >= 1 } == true)
            #expect(value(#"yachaq_db_connection_wait_seconds_count{pool="primary"}"#).map { $0 >= 2 } == true)
            #expect(value(#"yachaq_db_connections_in_use{pool="primary"}"#) != nil)
            #expect(text.contains("# TYPE yachaq_shortlist_seconds histogram"))
        }
    }

    /// Every API route the router serves is in /openapi.yaml and every path there is served
    /// (the web pages, HTML for people, are not part of the API).
    @Test func openAPIDescribesExactlyTheRoutes() async throws {
        let document = try await withApp { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        #expect(document.hasPrefix("openapi: 3.1"))
        var documented: Set<String> = []
        var path: String?
        for line in document.split(separator: "\n") {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete"].contains(method) { documented.insert("\(method.uppercased()) \(current)") }
            } else if !line.hasPrefix(" ") {
                path = nil
            }
        }
        let router = buildRouter(
            database: TestDatabase.makeClient(try await TestDatabase.fresh()), reference: try await TestDatabase.reference(),
            logger: TestDatabase.logger)
        let served = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { !PageSources.isPage($0) })
        #expect(documented == served)
    }
}
