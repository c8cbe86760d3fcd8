import Foundation
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing
import YachaqDomain
import YachaqSMS
import YachaqServer
import YachaqStore
import YachaqTestSupport
import YachaqWords

/// Yachaq and a real Kannel (bearerbox, smsbox, the fake SMSC's handset): an invitation reaches
/// the handset in Quechua, the handset answers, the community sees the answer; and the outbox
/// survives the gateway going away.
@Suite(.serialized) struct KannelWalkTests {
    /// The door as Kannel calls it: from this machine, with the secret.
    static var configuration: ServerConfiguration {
        var configuration = roomyConfiguration
        configuration.sms.gatewayAddresses = ["127.0.0.1", ClientAddress.localName]
        return configuration
    }

    static func dispatcher(_ kannel: Kannel, yachaqPort: Int, database: Database, pacing: SMSPacing = .init()) async throws
        -> SMSDispatcher
    {
        let settings = SMSGatewaySettings(
            sendURL: kannel.sendURL, username: Kannel.user, password: Kannel.password, callbackURL: "http://127.0.0.1:\(yachaqPort)",
            secret: gatewaySecret)
        var pacing = pacing
        pacing.quietHours = QuietHours("none")!
        return SMSDispatcher(
            outbox: SMSOutboxStore(database: database, logger: TestDatabase.logger), gateway: KannelGateway(settings),
            translations: try Translations(assets: .embedded, folder: "Pages/translations"), reference: try await TestDatabase.reference(),
            pacing: pacing, logger: TestDatabase.logger)
    }

    /// Sends what is due until `condition` holds.
    static func dispatch(_ dispatcher: SMSDispatcher, until condition: () async throws -> Bool) async throws -> Bool {
        try await eventually(every: .milliseconds(100)) {
            try await dispatcher.dispatchOnce()
            return try await condition()
        }
    }

    @Test func anInvitationReachesTheHandsetInQuechuaAndItsAnswerTheCommunity() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint, configuration: Self.configuration, testing: .live) { client in
            let port = try #require(client.port)
            let kannel = try Kannel(yachaqPort: port, secret: gatewaySecret)
            defer { kannel.stop() }
            let (application, code) = try await SMSInboundTests.invited(world, client: client)
            try await TestDatabase.withClient(world.endpoint) { database in
                let dispatcher = try await Self.dispatcher(kannel, yachaqPort: port, database: database)
                let arrived = try await Self.dispatch(dispatcher) { !kannel.received().isEmpty }
                #expect(arrived)
                let invitation = try #require(kannel.received().first)
                #expect(invitation.hasPrefix("\(Kannel.shortCode) \(SMSInboundTests.phone) text Yachaq: "))
                #expect(invitation.contains("minkakusunki") && invitation.contains("ARI \(code)"))
                #expect(invitation.contains("01/03/2027 - 30/04/2027"))

                try kannel.type("ARI \(code)", from: SMSInboundTests.phone)
                let accepted = try await eventually {
                    try await SMSInboundTests.application(application, of: world, client: client)["invitation_answer"] as? String
                        == "accepted"
                }
                #expect(accepted)
                let told = try await client.send(.get, "/v1/notifications", token: world.tokens[.community]).items()
                #expect(told.first?["kind"] as? String == "answered")

                let replied = try await Self.dispatch(dispatcher) { kannel.received().count == 2 }
                #expect(replied)
                #expect(kannel.received().last?.contains("chaskirqanki") == true)
                // The carrier's reports come back through Kannel: both texts delivered.
                let delivered = try await eventually {
                    try await world.count("SELECT count(*)::int FROM sms_outbox WHERE status = 'delivered' AND delivered_at IS NOT NULL")
                        == 2
                }
                #expect(delivered)
            }
        }
    }

    /// 1,000 texts queued while Kannel is down, two dispatchers on pools of their own: when it
    /// is back, each number gets its text once, counted at the handset.
    @Test func textsQueuedWhileTheGatewayIsDownArriveOnceEach() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint, configuration: Self.configuration, testing: .live) { client in
            let port = try #require(client.port)
            let kannel = try Kannel(yachaqPort: port, secret: gatewaySecret)
            defer { kannel.stop() }
            kannel.stopBoxes()
            try await TestDatabase.withClient(world.endpoint) { database in
                try await database.query(
                    """
                    INSERT INTO sms_outbox (phone, kind)
                    SELECT '+519' || lpad(n::text, 8, '0'), 'reply_help' FROM generate_series(1, 1000) n
                    """)
            }
            var pacing = SMSPacing()
            pacing.firstBackoff = .milliseconds(200)
            pacing.maxAttempts = 100
            try await TestDatabase.withClient(world.endpoint) { first in
                try await TestDatabase.withClient(world.endpoint) { second in
                    let dispatchers = [
                        try await Self.dispatcher(kannel, yachaqPort: port, database: first, pacing: pacing),
                        try await Self.dispatcher(kannel, yachaqPort: port, database: second, pacing: pacing),
                    ]
                    // Down: every try fails and waits its backoff; nothing is lost or given up.
                    for dispatcher in dispatchers { try await dispatcher.dispatchOnce() }
                    #expect(try await world.count("SELECT count(*)::int FROM sms_outbox WHERE status = 'queued' AND attempts = 1") == 100)
                    #expect(
                        try await world.count("SELECT count(*)::int FROM sms_outbox WHERE last_error LIKE '%could not be reached%'") == 100)
                    try kannel.startBoxes()
                    let all = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for dispatcher in dispatchers {
                            group.addTask {
                                try await Self.dispatch(dispatcher) {
                                    try await world.count("SELECT count(*)::int FROM sms_outbox WHERE status IN ('queued', 'sending')") == 0
                                }
                            }
                        }
                        return try await group.reduce(true) { $0 && $1 }
                    }
                    #expect(all)
                }
            }
            // Every report back means Kannel is done with every text: a text sent twice is at the handset by then.
            let delivered = try await eventually {
                try await world.count("SELECT count(*)::int FROM sms_outbox WHERE status = 'delivered'") == 1000
            }
            let statuses = try await TestDatabase.withClient(world.endpoint) { database in
                try await database.query(
                    """
                    SELECT status || ' ' || coalesce(report::text, '-') || ': ' || n
                    FROM (SELECT status, report, count(*) AS n FROM sms_outbox GROUP BY 1, 2) counted
                    """
                )
                .collect().map { try $0.decode(String.self) }
            }
            #expect(delivered, "\(statuses)")
            let received = kannel.received()
            let numbers = received.compactMap { $0.split(separator: " ").dropFirst().first }
            #expect(received.count == 1000 && Set(numbers).count == 1000)
        }
    }
}
