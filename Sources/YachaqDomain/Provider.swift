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
    /// Shown to anyone: the talent agreed to publish, and no suspension is in force (a
    /// sanction is not announced to the public; the talent and staff still see it).
    public var isPublic: Bool { consentToPublish && status != .suspended }
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

extension ProviderLanguage: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.key("can_teach")
            json.bool(canTeach)
            json.key("code")
            json.string(code)
            json.key("reading")
            json.int(reading)
            json.key("speaking")
            json.int(speaking)
            json.key("understanding")
            json.int(understanding)
            json.key("writing")
            json.int(writing)
        }
    }
}

extension ProviderSkill: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.key("code")
            json.string(code)
            json.key("level")
            json.int(level)
            json.key("years")
            json.int(years)
        }
    }
}

extension Certification: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.key("certifier_organization_id")
            json.uuid(certifierOrganizationID)
            json.key("expired")
            json.bool(expired)
            json.key("id")
            json.uuid(id)
            json.key("issued_on")
            json.string(issuedOn)
            json.key("skill")
            json.string(skill)
            if let validUntil {
                json.key("valid_until")
                json.string(validUntil)
            }
        }
    }
}

extension Provider: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            if let bio {
                json.key("bio")
                json.string(bio)
            }
            if let birthYear {
                json.key("birth_year")
                json.int(birthYear)
            }
            json.key("certifications")
            json.array(certifications)
            json.key("consent_to_publish")
            json.bool(consentToPublish)
            json.key("created_at")
            json.date(createdAt)
            json.key("daily_rate_cents")
            json.int(dailyRateCents)
            json.key("full_name")
            json.string(fullName)
            json.key("gender")
            json.string(gender.rawValue)
            json.key("home_ubigeo")
            json.string(homeUbigeo)
            json.key("id")
            json.uuid(id)
            json.key("kind")
            json.string(kind.rawValue)
            json.key("languages")
            json.array(languages)
            if let nationalID {
                json.key("national_id")
                json.string(nationalID)
            }
            if let phone {
                json.key("phone")
                json.string(phone)
            }
            json.key("skills")
            json.array(skills)
            json.key("status")
            json.string(status.rawValue)
            json.key("travel_radius_km")
            json.int(travelRadiusKm)
            json.key("updated_at")
            json.date(updatedAt)
            json.key("will_live_in_community")
            json.bool(willLiveInCommunity)
        }
    }
}
