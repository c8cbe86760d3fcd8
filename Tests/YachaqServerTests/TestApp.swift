import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// Runs `body` against the whole application (routes, middleware, services) on a fresh
/// migrated database of its own.
func withApp<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    try await withApp(on: try await TestDatabase.fresh(), body)
}

func withApp<T: Sendable>(on endpoint: DatabaseEndpoint, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    let app = buildApplication(configuration: .init(), database: TestDatabase.makeClient(endpoint), logger: TestDatabase.logger)
    return try await app.test(.router, body)
}

extension TestResponse {
    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], "not a JSON object: \(String(buffer: body))")
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
