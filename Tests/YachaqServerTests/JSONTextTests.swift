import Foundation
import Testing
import YachaqDomain
import YachaqStore

@testable import YachaqServer

/// `JSONText` must write exactly the bytes Foundation's encoder writes through
/// `JSONCoding.encoder`, for every type that has both: clients and the idempotency replay
/// see one API, whichever wrote it. Values are drawn from a fixed seed, with hostile
/// strings, absent optionals, dates before 1970 and after 2100, and awkward doubles.
@Suite struct JSONTextTests {
    struct Draw {
        var state: UInt64

        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }

        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance() -> Bool { next() % 2 == 0 }

        static let pieces = [
            "Rosa", "Quispe Mamani", "ñawpa", "Ch'uspa", "quote \" here", "back\\slash", "a/b", "tab\there", "line\nbreak", "\r", "\u{0}",
            "\u{1}\u{1F}", "\u{7F}", "emoji 🦙", "漢字", "", " ", "{name}", "\u{2028}", "é\u{301}",
        ]
        mutating func text() -> String { (0..<int(0...3)).map { _ in Self.pieces[int(0...(Self.pieces.count - 1))] }.joined() }
        mutating func maybe<T>(_ make: (inout Draw) -> T) -> T? { chance() ? make(&self) : nil }
        mutating func uuid() -> UUID {
            let (a, b) = (next(), next())
            return UUID(uuid: withUnsafeBytes(of: (a, b)) { bytes in bytes.load(as: uuid_t.self) })
        }
        mutating func date() -> Date {
            Date(timeIntervalSince1970: Double(Int64(bitPattern: next()) % 5_000_000_000) + Double(int(0...999_999)) / 1_000_000)
        }
        mutating func double() -> Double {
            [0, -0.0, 1, 0.1, 0.05, 12.345, 1e-7, 123_456_789.125, 1e15, 1e16, 2.5e-5, Double(int(-100_000...100_000)) / 7][int(0...11)]
        }

        mutating func provider() -> Provider {
            Provider(
                id: uuid(), fullName: text(), kind: ProviderKind.allCases[int(0...3)], gender: Gender.allCases[int(0...2)],
                birthYear: maybe { $0.int(1940...2008) }, nationalID: maybe { $0.text() }, phone: maybe { $0.text() },
                bio: maybe { $0.text() }, homeUbigeo: text(), dailyRateCents: Int64(int(0...Int(Int32.max))) * 1000,
                travelRadiusKm: int(0...500), willLiveInCommunity: chance(),
                languages: (0..<int(0...3)).map { _ in
                    ProviderLanguage(
                        code: text(), speaking: int(0...4), understanding: int(0...4), reading: int(0...4), writing: int(0...4),
                        canTeach: chance())
                },
                skills: (0..<int(0...3)).map { _ in ProviderSkill(code: text(), level: int(1...4), years: int(0...60)) },
                certifications: (0..<int(0...2)).map { _ in
                    Certification(
                        id: uuid(), skill: text(), certifierOrganizationID: uuid(), issuedOn: text(), validUntil: maybe { $0.text() },
                        expired: chance())
                },
                status: ProviderStatus.allCases[int(0...2)], consentToPublish: chance(), createdAt: date(), updatedAt: date())
        }

        mutating func reason() -> MatchReason {
            var reason = MatchReason(
                factor: MatchFactor.allCases[int(0...(MatchFactor.allCases.count - 1))], value: double(), weight: double(),
                points: double(), code: text(),
                params: Dictionary((0..<int(0...3)).map { _ in (["skills", "km", "language", "count", "a_b", "Z"][int(0...5)], text()) }) {
                    first, _ in first
                })
            reason.note = maybe { $0.text() }
            return reason
        }
    }

    func same(_ value: some Encodable & JSONTextWritable) throws {
        let foundation = try JSONCoding.encoder.encode(value)
        let written = Data(JSONText.of(value))
        #expect(
            written == foundation,
            "\(String(decoding: written, as: UTF8.self))\n≠\n\(String(decoding: foundation, as: UTF8.self))")
    }

    @Test func profilesAndShortlistsAreWrittenAsFoundationWritesThem() throws {
        var draw = Draw(state: 0x5EED_1234_ABCD_0001)
        for _ in 0..<300 {
            let provider = draw.provider()
            try same(provider)
            let match = Match(
                provider: provider, score: draw.double(), reasons: (0..<draw.int(0...8)).map { _ in draw.reason() },
                distanceKm: draw.double())
            try same(match)
            try same(Items(items: [match]))
        }
        try same(Items<Match>(items: []))
    }
}
