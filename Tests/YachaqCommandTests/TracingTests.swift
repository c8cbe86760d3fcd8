import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import YachaqServer
import YachaqStore
import YachaqTestSupport

@testable import yachaq

/// With an OTLP collector named, every request is a span sent to it over OTLP/HTTP.
@Suite struct TracingTests {
    @Test func requestsAreSpansSentToTheCollector() async throws {
        let received = Mutex<[Data]>([])
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            received.withLock { $0.append(Data(buffer: body)) }
            return Response(status: .ok, headers: [.contentType: "application/x-protobuf"])
        }
        let collector = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await collector.test(.live) { collectorClient in
            let port = try #require(collectorClient.port)
            setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:\(port)", 1)
            setenv("OTEL_BSP_SCHEDULE_DELAY", "100", 1)
            #expect(Settings().tracesCollector == "http://127.0.0.1:\(port)")
            let tracing = try makeTracing()

            var configuration = ServerConfiguration(connectionWait: Patience.wait, requestTimeout: Patience.wait)
            configuration.tracing = true
            let endpoint = try await TestDatabase.fresh()
            let app = buildApplication(
                configuration: configuration, database: TestDatabase.makeClient(endpoint), reference: try ReferenceData.load(endpoint),
                logger: TestDatabase.logger, services: [tracing])
            try await app.test(.router) { client in
                #expect(try await client.execute(uri: "/v1/districts/080101", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/v1/districts/999999", method: .get).status == .notFound)
                func sent(_ text: String) -> Bool { received.withLock { $0.contains { $0.range(of: Data(text.utf8)) != nil } } }
                _ = try await eventually(every: .milliseconds(100)) { sent("/v1/districts/{ubigeo}") && sent("yachaq") }
                #expect(sent("/v1/districts/{ubigeo}"), "a span named by its route reached the collector")
                #expect(sent("yachaq"), "the service's name is in the resource")
                #expect(sent("http.response.status_code") || sent("http.status_code"))
            }
        }
    }
}
