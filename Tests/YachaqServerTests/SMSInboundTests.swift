import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YachaqDomain
import YachaqTestSupport

/// Texts that come in through the gateway: an invited technician answers with the code the
/// invitation's SMS carried, only from the number it went to; anything forged changes nothing.
@Suite struct SMSInboundTests {
    static let phone = "+51987654321"

    /// The provider user wants SMS at `phone`; their profile is published, and community A
    /// invites it to request A. Returns the invitation's application and its code.
    static func invited(_ world: World, client: some TestClientProtocol) async throws -> (application: String, code: String) {
        let contact = #"{"phone":"\#(phone)","sms":true,"language":"qu"}"#
        #expect(try await client.send(.put, "/v1/users/me/contact", token: world.tokens[.provider], json: contact).status == .ok)
        let publish = #"{"consent_to_publish":true}"#
        #expect(
            try await client.send(.patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider], json: publish).status
                == .ok)
        let invite = #"{"provider_id":"\#(world.ownProvider.id)"}"#
        let invited = try await client.send(
            .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community], json: invite)
        #expect(invited.status == .created)
        let application = try #require(try invited.object()["id"] as? String)
        let told = try await client.send(.get, "/v1/notifications", token: world.tokens[.provider]).items()
        let code = try #require((told.first?["params"] as? [String: String])?["code"])
        return (application, code)
    }

    /// The application as community A reads it among request A's.
    static func application(_ id: String, of world: World, client: some TestClientProtocol) async throws -> [String: Any] {
        let all = try await client.send(.get, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community]).items()
        return try #require(all.first { $0["id"] as? String == id })
    }

    static func text(_ text: String, from phone: String = phone, id: String, secret: String = gatewaySecret) -> (String, ByteBuffer) {
        let escaped = phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return ("/v1/sms/inbound?from=\(escaped)&id=\(id)&secret=\(secret)", ByteBuffer(string: text))
    }

    static func receive(_ client: some TestClientProtocol, _ message: (String, ByteBuffer)) async throws -> TestResponse {
        try await client.execute(uri: message.0, method: .post, headers: [.contentType: "text/plain; charset=utf-8"], body: message.1)
    }

    @Test func anInvitationGoesToTheOutboxWithItsCodeAndAnAnswerBySMSIsTaken() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let (application, code) = try await Self.invited(world, client: client)
            #expect(code.count == 4 && code.allSatisfy(\.isNumber))
            let queued = try await world.count(
                "SELECT count(*)::int FROM sms_outbox WHERE kind = 'invited' AND phone = \(Self.phone) AND params->>'code' = \(code)")
            #expect(queued == 1)

            let answered = try await Self.receive(client, Self.text("ari \(code)", id: "m-1"))
            #expect(answered.status == .ok)
            #expect(try answered.object()["outcome"] as? String == "accepted")
            let read = try await Self.application(application, of: world, client: client)
            #expect(read["invitation_answer"] as? String == "accepted" && read["status"] as? String == "applied")
            let told = try await client.send(.get, "/v1/notifications", token: world.tokens[.community]).items()
            #expect(told.first?["kind"] as? String == "answered")
            #expect((told.first?["text"] as? String)?.contains("aceptó la invitación") == true)
            #expect(
                try await world.count("SELECT count(*)::int FROM sms_outbox WHERE kind = 'reply_accepted' AND phone = \(Self.phone)") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM audit_log WHERE action = 'accept_invitation'") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM audit_log WHERE action = 'sms_in'") == 1)

            // The same message again (the gateway retried, or someone replays it): nothing more.
            let replayed = try await Self.receive(client, Self.text("MANA \(code)", id: "m-1"))
            #expect(try replayed.object()["outcome"] as? String == "replayed")
            let again = try await Self.receive(client, Self.text("MANA \(code)", id: "m-2"))
            #expect(try again.object()["outcome"] as? String == "not_answerable")
            let still = try await Self.application(application, of: world, client: client)
            #expect(still["invitation_answer"] as? String == "accepted")
        }
    }

    /// Someone else's number with the right code, a code nobody was sent, a wrong secret: refused,
    /// recorded, nothing changed.
    @Test func forgedAnswersChangeNothing() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let (application, code) = try await Self.invited(world, client: client)
            let other = "+51911111111"
            try await TestDatabase.withClient(world.endpoint) { database in
                try await database.query("UPDATE users SET phone = \(other) WHERE role = 'community'")
            }
            let stranger = try await Self.receive(client, Self.text("ARI \(code)", from: other, id: "f-1"))
            #expect(try stranger.object()["outcome"] as? String == "no_such_code")
            let unknown = try await Self.receive(client, Self.text("ARI \(code)", from: "+51922222222", id: "f-2"))
            #expect(try unknown.object()["outcome"] as? String == "unknown_sender")
            let wrongCode = String(format: "%04d", (Int(code)! + 1) % 10000)
            let guessed = try await Self.receive(client, Self.text("ARI \(wrongCode)", id: "f-3"))
            #expect(try guessed.object()["outcome"] as? String == "no_such_code")
            let forged = try await Self.receive(client, Self.text("ARI \(code)", id: "f-4", secret: "guess"))
            try forged.problem(.forbidden)
            var noSecret = Self.text("ARI \(code)", id: "f-5")
            noSecret.0 = noSecret.0.replacingOccurrences(of: "&secret=\(gatewaySecret)", with: "")
            try await Self.receive(client, noSecret).problem(.forbidden)

            let read = try await Self.application(application, of: world, client: client)
            #expect(read["id"] as? String == application && read["invitation_answer"] == nil)
            #expect(try await world.count("SELECT count(*)::int FROM audit_log WHERE action = 'sms_refused'") == 2)
            #expect(try await world.count("SELECT count(*)::int FROM sms_inbound") == 3)
            // A stranger and a guesser are answered with help; an unknown number is not answered at all.
            #expect(try await world.count("SELECT count(*)::int FROM sms_outbox WHERE kind = 'reply_no_such_code'") == 2)
            #expect(try await world.count("SELECT count(*)::int FROM sms_outbox WHERE phone = '+51922222222'") == 0)
        }
    }

    @Test func onlyTheGatewaysAddressesMayCall() async throws {
        let world = try await World.make()
        var configuration = roomyConfiguration
        configuration.sms.gatewayAddresses = ["10.0.0.7"]
        try await withApp(on: world.endpoint, configuration: configuration) { client in
            try await Self.receive(client, Self.text("PARAR", id: "a-1")).problem(.forbidden)
            let report = try await client.send(.get, "/v1/sms/delivery?id=1&type=1&secret=\(gatewaySecret)")
            try report.problem(.forbidden)
        }
        #expect(try await world.count("SELECT count(*)::int FROM audit_log WHERE action = 'sms_refused'") == 2)
    }

    @Test func stopEndsTextsAndUnknownWordsGetHelp() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            _ = try await Self.invited(world, client: client)
            let help = try await Self.receive(client, Self.text("hola, ¿qué es esto?", id: "s-1"))
            #expect(try help.object()["outcome"] as? String == "help")
            let stop = try await Self.receive(client, Self.text("sayay", id: "s-2"))
            #expect(try stop.object()["outcome"] as? String == "stopped")
            let contact = try await client.send(.get, "/v1/users/me/contact", token: world.tokens[.provider]).object()
            #expect(contact["sms"] as? Bool == false && contact["phone"] as? String == Self.phone)
            let replies = try await TestDatabase.withClient(world.endpoint) { database in
                try await database.query("SELECT kind FROM sms_outbox WHERE kind LIKE 'reply%' ORDER BY id").collect().map {
                    try $0.decode(String.self)
                }
            }
            #expect(replies == ["reply_help", "reply_stopped"])
        }
    }

    /// The same answer through the API: the technician only, once.
    @Test func theTechnicianAnswersOnTheAPIToo() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let (application, _) = try await Self.invited(world, client: client)
            let decline = #"{"answer":"declined"}"#
            try await client.send(.post, "/v1/applications/\(application)/answer", token: world.tokens[.community], json: decline)
                .problem(.notFound)
            try await client.send(
                .post, "/v1/applications/\(application)/answer", token: world.tokens[.provider], json: #"{"answer":"maybe"}"#
            )
            .problem(.unprocessableContent)
            let declined = try await client.send(
                .post, "/v1/applications/\(application)/answer", token: world.tokens[.provider], json: decline)
            #expect(declined.status == .ok)
            #expect(try declined.object()["status"] as? String == "withdrawn")
            try await client.send(.post, "/v1/applications/\(application)/answer", token: world.tokens[.provider], json: decline)
                .problem(.conflict)
            // An application the technician made is not an invitation.
            try await client.send(
                .post, "/v1/applications/\(world.ownApplication.id)/answer", token: world.tokens[.provider], json: decline
            )
            .problem(.conflict)
        }
    }
}
