import Foundation

/// A calendar date as the API writes it (`2026-03-01`), checked.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let text: String

    public init?(_ text: String) {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar), (1900...2200).contains(parts[0]) else { return nil }
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
public struct NewCertification: Sendable, Decodable {
    public var skill: String
    public var certifierOrganizationId: UUID
    public var issuedOn: String
    public var validUntil: String?

    public init(skill: String, certifierOrganizationId: UUID, issuedOn: String, validUntil: String? = nil) {
        self.skill = skill
        self.certifierOrganizationId = certifierOrganizationId
        self.issuedOn = issuedOn
        self.validUntil = validUntil
    }

    public func validated() throws -> (issuedOn: CalendarDate, validUntil: CalendarDate?) {
        var check = Validator()
        let issued = CalendarDate(issuedOn)
        check(issued != nil, "issued_on", "a date is written 2026-03-01")
        let until = validUntil.map(CalendarDate.init)
        check(until.map { $0 != nil } ?? true, "valid_until", "a date is written 2026-03-01")
        if let issued, let until = until ?? nil { check(until >= issued, "valid_until", "must not be before issued_on") }
        try check.finish()
        return (issued!, until ?? nil)
    }
}

/// `POST /v1/trainings`: who trained whom in what. `trainerId` is absent when the trainer
/// is not in the registry (an agency's course, say).
public struct NewTraining: Sendable, Decodable {
    public var trainerId: UUID?
    public var traineeId: UUID
    public var skill: String
    public var organizationId: UUID?
    public var heldOn: String

    public init(trainerId: UUID?, traineeId: UUID, skill: String, organizationId: UUID? = nil, heldOn: String) {
        self.trainerId = trainerId
        self.traineeId = traineeId
        self.skill = skill
        self.organizationId = organizationId
        self.heldOn = heldOn
    }

    public func validated() throws -> CalendarDate {
        var check = Validator()
        check(trainerId != traineeId, "trainer_id", "nobody trains themselves")
        let held = CalendarDate(heldOn)
        check(held != nil, "held_on", "a date is written 2026-03-01")
        try check.finish()
        return held!
    }
}

public struct Training: Sendable, Codable, Equatable {
    public var id: UUID
    public var trainerId: UUID?
    public var traineeId: UUID
    public var skill: String
    public var organizationId: UUID?
    public var heldOn: String

    public init(id: UUID, trainerId: UUID?, traineeId: UUID, skill: String, organizationId: UUID?, heldOn: String) {
        self.id = id
        self.trainerId = trainerId
        self.traineeId = traineeId
        self.skill = skill
        self.organizationId = organizationId
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

    public var trainerId: UUID
    public var traineeId: UUID
    public var skill: String
    public var heldOn: String
    public var depth: Int
    public var provider: Person

    public init(trainerId: UUID, traineeId: UUID, skill: String, heldOn: String, depth: Int, provider: Person) {
        self.trainerId = trainerId
        self.traineeId = traineeId
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
