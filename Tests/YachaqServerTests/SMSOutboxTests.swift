import Foundation
import PostgresNIO
import Testing
import YachaqDomain
import YachaqServer
import YachaqStore
import YachaqTestSupport
import YachaqWords

/// The outbox as the dispatcher works it: what is due, how often a number may be texted,
/// quiet hours, giving up; and every template short enough for two segments.
@Suite struct SMSOutboxTests {
    /// `count` texts to `phone` of `kind`, written straight into the outbox.
    static func queue(_ count: Int, to phone: String, kind: String, on database: Database) async throws {
        try await database.query(
            "INSERT INTO sms_outbox (phone, kind) SELECT \(phone), \(kind) FROM generate_series(1, \(count))")
    }

    @Test func aNumberGetsAtMostItsHourlyShareAndQuietHoursHoldAllButReplies() async throws {
        let endpoint = try await TestDatabase.fresh()
        try await TestDatabase.withClient(endpoint) { database in
            let outbox = SMSOutboxStore(database: database, logger: TestDatabase.logger)
            try await Self.queue(4, to: "+51900000001", kind: "invited", on: database)
            try await Self.queue(1, to: "+51900000002", kind: "reply_help", on: database)
            var pacing = SMSPacing()
            pacing.perNumberPerHour = 2
            let night = try await outbox.claim(pacing, quiet: true)
            #expect(night.map(\.kind) == ["reply_help"])
            for claim in night { try await outbox.sent(claim.id, body: "ayuda") }

            let first = try await outbox.claim(pacing, quiet: false)
            #expect(first.count == 4)  // the limit counts what was sent, not what is claimed at once
            for claim in first.prefix(2) { try await outbox.sent(claim.id, body: "minkakuy") }
            for claim in first.dropFirst(2) { try await outbox.notSent(claim.id, body: nil, error: "busy", retryIn: .zero) }
            #expect(try await outbox.claim(pacing, quiet: false).isEmpty)  // two sent in the hour: the rest wait
        }
    }

    @Test func aTextThatKeepsFailingIsGivenUpWithItsLastErrorAndStaffSendItAgain() async throws {
        let endpoint = try await TestDatabase.fresh()
        try await TestDatabase.withClient(endpoint) { database in
            let outbox = SMSOutboxStore(database: database, logger: TestDatabase.logger)
            try await Self.queue(1, to: "+51900000003", kind: "reply_help", on: database)
            var pacing = SMSPacing()
            pacing.maxAttempts = 3
            pacing.firstBackoff = .zero
            for attempt in 1...3 {
                let claims = try await outbox.claim(pacing, quiet: false)
                #expect(claims.map(\.attempts) == [attempt])
                for claim in claims {
                    try await outbox.notSent(claim.id, body: nil, error: "refused \(attempt)", retryIn: pacing.retryDelay(after: attempt))
                }
            }
            #expect(try await outbox.claim(pacing, quiet: false).isEmpty)
            let failed = try await outbox.list(status: .failed, after: nil, limit: 10).items
            #expect(failed.map(\.lastError) == ["refused 3"] && failed.map(\.attempts) == [3])

            let staffID = try #require(
                try await database.query(
                    "INSERT INTO users (login, password_hash, role) VALUES ('staff-sms', '$2b$', 'staff') RETURNING id"
                )
                .collect().first?.decode(UUID.self))
            let staff = Identity(userID: staffID, role: .staff, organizationID: nil, providerID: nil)
            await #expect(throws: StoreError.self) { try await outbox.retry(failed[0].id + 1, actor: staff) }
            let again = try await outbox.retry(failed[0].id, actor: staff)
            #expect(again.status == .queued && again.attempts == 0)
            await #expect(throws: StoreError.self) { try await outbox.retry(failed[0].id, actor: staff) }  // queued, not failed
            #expect(try await outbox.claim(pacing, quiet: false).count == 1)
        }
    }

    /// A crash between claiming and recording: the claim lapses and another dispatcher takes it.
    @Test func aLapsedClaimIsTakenAgain() async throws {
        let endpoint = try await TestDatabase.fresh()
        try await TestDatabase.withClient(endpoint) { database in
            let outbox = SMSOutboxStore(database: database, logger: TestDatabase.logger)
            try await Self.queue(3, to: "+51900000004", kind: "reply_help", on: database)
            var pacing = SMSPacing()
            pacing.claimLease = .zero
            #expect(try await outbox.claim(pacing, quiet: false).count == 3)
            let retaken = try await outbox.claim(pacing, quiet: false)
            #expect(retaken.map(\.attempts) == [2, 2, 2])
        }
    }

    /// Every SMS template, in every language, with the longest values it can be given, fits in
    /// two segments.
    @Test func everyTemplateFitsInTwoSegments() async throws {
        let translations = try Translations(assets: .embedded, folder: "Pages/translations")
        let long = String(repeating: "Ñ", count: 200)
        let values = [
            "who": long, "title": long, "place": long, "starts_on": "2027-12-31", "ends_on": "2027-12-31", "code": "4821",
            "answer": "accepted",
        ]
        let keys = translations.keys(.es).filter { $0.hasPrefix("sms.") }
        #expect(keys.count >= 10)
        for language in PageLanguage.allCases {
            let words = Words(translations, language: language, reference: try await TestDatabase.reference())
            for key in keys {
                let text = words.sms(String(key.dropFirst("sms.".count)), values)
                #expect(text.segments <= 2 && text.isGSM7, "\(language) \(key): \(text.segments) segments: \(text.text)")
                #expect(!text.text.contains("{"), "\(language) \(key) leaves a value unsaid: \(text.text)")
            }
        }
    }
}
