import Foundation

/// A calendar date as the API writes it (`2026-03-01`), checked.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let text: String

    /// `YYYY-MM-DD`, a day that exists, years 1900–2200. Read digit by digit: a regex and
    /// Foundation's calendar took 7 % of a payment's CPU time (perf, issue 11).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1900...2200).contains(year),
            (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        self.text = text
    }

    public var description: String { text }
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.text < rhs.text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a date is written 2026-03-01"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// `POST /v1/providers/{id}/certifications`.
public struct NewCertification: CheckedInput {
    public var skill: String
    public var certifierOrganizationID: UUID
    public var issuedOn: String
    public var validUntil: String?

    public init(skill: String, certifierOrganizationID: UUID, issuedOn: String, validUntil: String? = nil) {
        self.skill = skill
        self.certifierOrganizationID = certifierOrganizationID
        self.issuedOn = issuedOn
        self.validUntil = validUntil
    }

    public func checked(against codes: ReferenceCodes) throws -> CertificationDraft {
        var check = Validator()
        check(codes.skills.contains(skill), "skill", "unknown skill \(skill) (a skill, not a group, of /v1/skills)")
        let issued = CalendarDate(issuedOn)
        check(issued != nil, "issued_on", "a date is written 2026-03-01")
        let until = validUntil.map(CalendarDate.init)
        check(until.map { $0 != nil } ?? true, "valid_until", "a date is written 2026-03-01")
        if let issued, let until = until ?? nil { check(until >= issued, "valid_until", "must not be before issued_on") }
        try check.finish()
        return CertificationDraft(
            skill: skill, certifierOrganizationID: certifierOrganizationID, issuedOn: issued!, validUntil: until ?? nil)
    }
}

/// A certification that passed `NewCertification.checked(against:)`.
public struct CertificationDraft: Sendable {
    public let skill: String
    public let certifierOrganizationID: UUID
    public let issuedOn: CalendarDate
    public let validUntil: CalendarDate?
}

/// `POST /v1/trainings`: who trained whom in what. `trainerID` is absent when the trainer
/// is not in the registry (an agency's course, say).
public struct NewTraining: CheckedInput {
    public var trainerID: UUID?
    public var traineeID: UUID
    public var skill: String
    public var organizationID: UUID?
    public var heldOn: String

    public init(trainerID: UUID?, traineeID: UUID, skill: String, organizationID: UUID? = nil, heldOn: String) {
        self.trainerID = trainerID
        self.traineeID = traineeID
        self.skill = skill
        self.organizationID = organizationID
        self.heldOn = heldOn
    }

    public func checked(against codes: ReferenceCodes) throws -> TrainingDraft {
        var check = Validator()
        check(codes.skills.contains(skill), "skill", "unknown skill \(skill) (a skill, not a group, of /v1/skills)")
        check(trainerID != traineeID, "trainer_id", "nobody trains themselves")
        let held = CalendarDate(heldOn)
        check(held != nil, "held_on", "a date is written 2026-03-01")
        try check.finish()
        return TrainingDraft(trainerID: trainerID, traineeID: traineeID, skill: skill, organizationID: organizationID, heldOn: held!)
    }
}

/// A training that passed `NewTraining.checked(against:)`.
public struct TrainingDraft: Sendable {
    public let trainerID: UUID?
    public let traineeID: UUID
    public let skill: String
    public let organizationID: UUID?
    public let heldOn: CalendarDate
}

public struct Training: Sendable, Codable, Equatable {
    public var id: UUID
    public var trainerID: UUID?
    public var traineeID: UUID
    public var skill: String
    public var organizationID: UUID?
    public var heldOn: String

    public init(id: UUID, trainerID: UUID?, traineeID: UUID, skill: String, organizationID: UUID?, heldOn: String) {
        self.id = id
        self.trainerID = trainerID
        self.traineeID = traineeID
        self.skill = skill
        self.organizationID = organizationID
        self.heldOn = heldOn
    }
}

/// One edge of a lineage tree, seen from the provider asked about: `depth` 1 is a direct
/// trainer (or trainee), 2 their trainer, and so on; `provider` is the one at that depth.
public struct LineageEdge: Sendable, Codable, Equatable {
    public struct Person: Sendable, Codable, Equatable {
        public var id: UUID
        public var fullName: String
        public var kind: ProviderKind

        public init(id: UUID, fullName: String, kind: ProviderKind) {
            self.id = id
            self.fullName = fullName
            self.kind = kind
        }
    }

    public var trainerID: UUID
    public var traineeID: UUID
    public var skill: String
    public var heldOn: String
    public var depth: Int
    public var provider: Person

    public init(trainerID: UUID, traineeID: UUID, skill: String, heldOn: String, depth: Int, provider: Person) {
        self.trainerID = trainerID
        self.traineeID = traineeID
        self.skill = skill
        self.heldOn = heldOn
        self.depth = depth
        self.provider = provider
    }
}

public struct Lineage: Sendable, Codable, Equatable {
    public var trainers: [LineageEdge]
    public var trainees: [LineageEdge]

    public init(trainers: [LineageEdge], trainees: [LineageEdge]) {
        self.trainers = trainers
        self.trainees = trainees
    }
}
