import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import PostgresNIO
import Testing
import YachaqActions
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// Runs `body` against the whole application (routes, middleware, services) on a fresh
/// migrated database of its own.
func withApp<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    try await withApp(on: try await TestDatabase.fresh(), body)
}

/// Tests run many at once on 2 cores against small pools: a connection, a health check, a
/// pause between two requests or a whole request may take longer than the production defaults
/// allow, which is not what they test (`Patience`); nor is a rate of sign-ins. Tests of the
/// limits themselves set them on purpose. The day is the test world's (`World.today`).
let roomyConfiguration: ServerConfiguration = {
    var configuration = ServerConfiguration(
        connectionWait: Patience.wait, requestTimeout: Patience.wait, healthCheckTimeout: Patience.wait,
        passwordChecks: .init(perMinute: 1_000_000, burst: 1_000_000), idleTimeout: Patience.wait)
    configuration.today = .fixed(World.today)
    // The SMS gateway, as the in-process client (which has no address) calls it.
    configuration.sms = SMSDoor(secret: gatewaySecret, gatewayAddresses: [ClientAddress.localName])
    return configuration
}()

/// What the test gateway presents on `/v1/sms/inbound` and `/v1/sms/delivery`.
let gatewaySecret = "kannel-test-secret"

func withApp<T: Sendable>(
    on endpoint: DatabaseEndpoint, configuration: ServerConfiguration = roomyConfiguration, logger: Logger = TestDatabase.logger,
    testing: TestingSetup = .router, client database: PostgresClient? = nil, hasher: PasswordHasher? = nil,
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = buildApplication(
        configuration: configuration, database: database ?? TestDatabase.makeClient(endpoint),
        reference: try await TestDatabase.reference(),
        listening: try endpoint.connectionConfiguration(), hasher: hasher, logger: logger)
    return try await app.test(testing, body)
}

extension TestClientProtocol {
    /// A JSON request, signed in with `token` when one is given.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, from address: String? = nil)
        async throws -> TestResponse
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let address { headers[.init("X-Forwarded-For")!] = address }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], "not a JSON object: \(String(buffer: body))")
    }

    /// `items` of a list body.
    func items() throws -> [[String: Any]] {
        try #require(try object()["items"] as? [[String: Any]])
    }

    /// Asserts an RFC 9457 problem with this status; returns it.
    @discardableResult
    func problem(_ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(self.status == status, "body: \(String(buffer: body))", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try object()
        #expect(problem["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect((problem["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((problem["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(problem["type"] is String, sourceLocation: sourceLocation)
        return problem
    }
}
