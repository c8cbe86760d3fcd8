import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

extension AuditTrailTests {
    /// The SMS routes' writes: an invitation answered, a text from the gateway, a delivery
    /// report, a failed text sent again.
    static func walkSMS(
        _ world: World, client: some TestClientProtocol,
        write: (HTTPRequest.Method, String, String, String?, String?, SourceLocation) async throws -> (body: JSON, rows: [JSON]),
        read: (String) async throws -> JSON,
        expect: ([JSON], [(entity: String, action: String, before: JSON?, after: JSON?)], SourceLocation) -> Void
    ) async throws {
        // Set up through `write` too, so that each next write's rows are its own.
        let contact = #"{"phone":"\#(SMSInboundTests.phone)","sms":true}"#
        _ = try await write(.put, "/v1/users/me/contact", "/v1/users/me/contact", world.tokens[.provider], contact, #_sourceLocation)
        _ = try await write(
            .patch, "/v1/providers/{id}", "/v1/providers/\(world.ownProvider.id)", world.tokens[.provider], #"{"consent_to_publish":true}"#,
            #_sourceLocation)
        let invitation = try await write(
            .post, "/v1/requests/{id}/applications", "/v1/requests/\(world.requestA.id)/applications", world.tokens[.community],
            #"{"provider_id":"\#(world.ownProvider.id)"}"#, #_sourceLocation
        ).body
        let application = try #require(invitation["id"] as? String)
        let answered = try await write(
            .post, "/v1/applications/{id}/answer", "/v1/applications/\(application)/answer", world.tokens[.provider],
            #"{"answer":"accepted"}"#, #_sourceLocation)
        expect(answered.rows, [("application", "accept_invitation", invitation, answered.body)], #_sourceLocation)

        let texted = try await write(
            .post, "/v1/sms/inbound", "/v1/sms/inbound?from=%2B51922222222&id=walk-1&secret=\(gatewaySecret)", nil, "hola",
            #_sourceLocation)
        let inbound: JSON = ["phone": "+51922222222", "text": "hola", "outcome": "unknown_sender"]
        expect(texted.rows, [("sms_inbound", "sms_in", nil, inbound)], #_sourceLocation)

        try await TestDatabase.withClient(world.endpoint) { database in
            try await database.query(
                """
                INSERT INTO sms_outbox (phone, kind, status, attempts, body, sent_at)
                VALUES ('+51900000010', 'reply_help', 'sent', 1, 'Yachaq: ...', now())
                """)
        }
        let sent = try #require(try await client.send(.get, "/v1/sms/outbox?status=sent", token: world.tokens[.staff]).items().first)
        let id = try #require(sent["id"] as? Int)
        let report = try await write(
            .post, "/v1/sms/delivery", "/v1/sms/delivery?id=\(id)&type=2&secret=\(gatewaySecret)", nil, nil, #_sourceLocation)
        let failed = try #require(try await read("/v1/sms/outbox?status=failed")["items"] as? [JSON]).first
        expect(report.rows, [("sms", "sms_report", sent, failed)], #_sourceLocation)
        let retried = try await write(
            .post, "/v1/sms/outbox/{id}/retry", "/v1/sms/outbox/\(id)/retry", world.tokens[.staff], nil, #_sourceLocation)
        expect(retried.rows, [("sms", "retry_sms", failed, retried.body)], #_sourceLocation)
    }
}
