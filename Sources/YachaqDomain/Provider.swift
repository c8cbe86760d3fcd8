import Foundation

public enum ProviderKind: String, Sendable, Codable, CaseIterable {
    /// lead trainer
    case yachaq
    /// farmer para-technician trained in cascade
    case yachachiq
    case tecnico
    case profesional
}

public enum Gender: String, Sendable, Codable, CaseIterable {
    case female, male, other
}

public enum ProviderStatus: String, Sendable, Codable, CaseIterable {
    case active, inactive
    /// By an admin's review, for misconduct; lifted only by an admin's reinstating review.
    case suspended
}

/// How well a provider speaks, understands, reads and writes one language: 0 none … 4 native/fluent.
public struct ProviderLanguage: Sendable, Codable, Equatable {
    public var code: String
    public var speaking: Int
    public var understanding: Int
    public var reading: Int
    public var writing: Int
    public var canTeach: Bool

    public init(code: String, speaking: Int, understanding: Int, reading: Int, writing: Int, canTeach: Bool = false) {
        self.code = code
        self.speaking = speaking
        self.understanding = understanding
        self.reading = reading
        self.writing = writing
        self.canTeach = canTeach
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        speaking = try container.decode(Int.self, forKey: .speaking)
        understanding = try container.decode(Int.self, forKey: .understanding)
        reading = try container.decode(Int.self, forKey: .reading)
        writing = try container.decode(Int.self, forKey: .writing)
        canTeach = try container.decodeIfPresent(Bool.self, forKey: .canTeach) ?? false
    }
}

/// A skill of the taxonomy, at level 1 (basic) … 4 (can train others), with years of practice.
public struct ProviderSkill: Sendable, Codable, Equatable {
    public var code: String
    public var level: Int
    public var years: Int

    public init(code: String, level: Int, years: Int) {
        self.code = code
        self.level = level
        self.years = years
    }
}

public struct Certification: Sendable, Codable, Equatable {
    public var id: UUID
    public var skill: String
    public var certifierOrganizationID: UUID
    public var issuedOn: String
    public var validUntil: String?
    public var expired: Bool

    public init(id: UUID, skill: String, certifierOrganizationID: UUID, issuedOn: String, validUntil: String?, expired: Bool) {
        self.id = id
        self.skill = skill
        self.certifierOrganizationID = certifierOrganizationID
        self.issuedOn = issuedOn
        self.validUntil = validUntil
        self.expired = expired
    }
}

/// A local talent's profile.
public struct Provider: Sendable, Codable, Equatable {
    public var id: UUID
    public var fullName: String
    public var kind: ProviderKind
    public var gender: Gender
    public var birthYear: Int?
    /// DNI: only for staff, admin and the provider itself (see `withoutPrivateFields`).
    public var nationalID: String?
    public var phone: String?
    public var bio: String?
    public var homeUbigeo: String
    public var dailyRateCents: Int64
    public var travelRadiusKm: Int
    public var willLiveInCommunity: Bool
    public var languages: [ProviderLanguage]
    public var skills: [ProviderSkill]
    public var certifications: [Certification]
    public var status: ProviderStatus
    public var consentToPublish: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, fullName: String, kind: ProviderKind, gender: Gender, birthYear: Int?, nationalID: String?, phone: String?, bio: String?,
        homeUbigeo: String, dailyRateCents: Int64, travelRadiusKm: Int, willLiveInCommunity: Bool, languages: [ProviderLanguage],
        skills: [ProviderSkill], certifications: [Certification], status: ProviderStatus, consentToPublish: Bool, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.fullName = fullName
        self.kind = kind
        self.gender = gender
        self.birthYear = birthYear
        self.nationalID = nationalID
        self.phone = phone
        self.bio = bio
        self.homeUbigeo = homeUbigeo
        self.dailyRateCents = dailyRateCents
        self.travelRadiusKm = travelRadiusKm
        self.willLiveInCommunity = willLiveInCommunity
        self.languages = languages
        self.skills = skills
        self.certifications = certifications
        self.status = status
        self.consentToPublish = consentToPublish
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The profile as someone who may not see the DNI or the phone number sees it.
    public var withoutPrivateFields: Provider {
        var copy = self
        copy.nationalID = nil
        copy.phone = nil
        return copy
    }
}
