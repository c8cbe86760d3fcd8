import Foundation
import Testing
import YachaqDomain

/// The API's JSON conventions: snake_case names both ways, ids in lower case on output.
@Suite struct JSONCodingTests {
    static let id = UUID(uuidString: "29CC982A-4EEC-48FC-BE36-F372F46BF19E")!

    func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }

    @Test func idsAreWrittenInLowerCaseWhetherPresentOrNull() throws {
        let user = User(
            id: Self.id, login: "rosa", role: .community, organizationID: Self.id, providerID: nil, displayLanguage: .qu,
            createdAt: Date(timeIntervalSince1970: 0))
        let text = try json(user)
        #expect(text.contains(#""id":"29cc982a-4eec-48fc-be36-f372f46bf19e""#))
        #expect(text.contains(#""organization_id":"29cc982a-4eec-48fc-be36-f372f46bf19e""#))
        #expect(text.contains(#""provider_id":null"#))
        #expect(!text.contains("29CC982A"))
        let training = Training(
            id: Self.id, trainerID: nil, traineeID: Self.id, skill: "water.sprinkler", organizationID: Self.id, heldOn: "2024-01-01")
        #expect(try !json(training).contains("29CC982A"))
    }

    @Test func namesWithIDRoundTripAsSnakeCase() throws {
        #expect(JSONCoding.snakeCase("certifierOrganizationID") == "certifier_organization_id")
        #expect(JSONCoding.snakeCase("dailyRateCents") == "daily_rate_cents")
        #expect(JSONCoding.camelCase("certifier_organization_id") == "certifierOrganizationID")
        // The encoder's own conversion names keys as `snakeCase` does (field errors use the latter).
        let certification = Certification(
            id: Self.id, skill: "x", certifierOrganizationID: Self.id, issuedOn: "2024-01-01", validUntil: nil,
            expired: false)
        #expect(try json(certification).contains(#""certifier_organization_id":"29cc982a"#))
        let input = try JSONCoding.decoder.decode(
            NewTraining.self, from: Data(#"{"trainee_id":"29cc982a-4eec-48fc-be36-f372f46bf19e","skill":"x","held_on":"2024-01-01"}"#.utf8))
        #expect(input.traineeID == Self.id && input.trainerID == nil)
    }

    @Test func matchFiguresAreRoundedForPeople() throws {
        let reason = MatchReason(factor: .distance, value: 0.123456, weight: 0.15, points: 1.851851, code: "distance")
        let text = try json(reason)
        #expect(text.contains(#""value":0.12"#) && text.contains(#""points":1.9"#))
    }
}
