import Foundation

/// A provider profile as a client sends it: every field for a new profile (POST); for a
/// change (PATCH) the stored profile is made into this first and the sent fields replace
/// its values, so both go through the same `checked(against:)`.
public struct ProviderInput: CheckedInput, Codable, Equatable {
    public var fullName: String
    public var kind: String
    public var gender: String
    public var birthYear: Int?
    public var nationalID: String?
    public var phone: String?
    public var bio: String?
    public var homeUbigeo: String
    public var dailyRateCents: Int64
    public var travelRadiusKm: Int
    public var willLiveInCommunity: Bool?
    public var languages: [ProviderLanguage]?
    public var skills: [ProviderSkill]?
    public var status: String?
    public var consentToPublish: Bool?

    public init(
        fullName: String, kind: String, gender: String, birthYear: Int? = nil, nationalID: String? = nil, phone: String? = nil,
        bio: String? = nil,
        homeUbigeo: String, dailyRateCents: Int64, travelRadiusKm: Int, willLiveInCommunity: Bool? = nil,
        languages: [ProviderLanguage]? = nil, skills: [ProviderSkill]? = nil, status: String? = nil, consentToPublish: Bool? = nil
    ) {
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
        self.status = status
        self.consentToPublish = consentToPublish
    }

    public init(_ provider: Provider) {
        self.init(
            fullName: provider.fullName, kind: provider.kind.rawValue, gender: provider.gender.rawValue, birthYear: provider.birthYear,
            nationalID: provider.nationalID, phone: provider.phone, bio: provider.bio, homeUbigeo: provider.homeUbigeo,
            dailyRateCents: provider.dailyRateCents, travelRadiusKm: provider.travelRadiusKm,
            willLiveInCommunity: provider.willLiveInCommunity,
            languages: provider.languages, skills: provider.skills, status: provider.status.rawValue,
            consentToPublish: provider.consentToPublish
        )
    }

    /// Checked and normalised, the district, languages and skills looked up in `codes`.
    public func checked(against codes: ReferenceCodes) throws -> ProviderDraft {
        var check = Validator()
        let name = fullName.trimmed
        check((2...200).contains(name.count), "full_name", "must be 2 to 200 characters")
        let kind = ProviderKind(rawValue: kind)
        check(kind != nil, "kind", "must be one of \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
        let gender = Gender(rawValue: gender)
        check(gender != nil, "gender", "must be female, male or other")
        check(birthYear.map { (1900...2100).contains($0) } ?? true, "birth_year", "must be a year from 1900 to 2100")
        let nationalID = nationalID?.trimmed
        check(nationalID.map { $0.isDigits(count: 8) } ?? true, "national_id", "a DNI is 8 digits")
        let phone = phone?.filter { !$0.isWhitespace && $0 != "-" }
        check(phone.map { $0.wholeMatch(of: /\+?[0-9]{6,15}/) != nil } ?? true, "phone", "digits only, 6 to 15, an optional leading +")
        let bio = bio?.trimmed
        check((bio?.count ?? 0) <= 2000, "bio", "must be at most 2,000 characters")
        let home = check.district(homeUbigeo, "home_ubigeo", in: codes)
        check(
            (0...Bounds.dailyRateCents).contains(dailyRateCents), "daily_rate_cents",
            "must be 0 to \(Bounds.dailyRateCents) céntimos (S/ 10,000 a day)")
        check((0...2000).contains(travelRadiusKm), "travel_radius_km", "must be 0 to 2,000 km")
        // `suspended` reads back from a stored profile (a PATCH merges into it); a new profile
        // cannot take it, and a change cannot set or lift it (ProviderStore): reviews do that.
        let status = ProviderStatus(rawValue: status ?? "active")
        check(status != nil, "status", "must be active or inactive")

        let languages = (languages ?? []).map { language in
            var language = language
            language.code = language.code.lowercased()
            return language
        }
        check(Set(languages.map(\.code)).count == languages.count, "languages", "each language at most once")
        for (index, language) in languages.enumerated() {
            check(
                codes.languages.contains(language.code), "languages[\(index)].code",
                "unknown language code \(language.code) (ISO 639-3, see /v1/languages)")
            let levels = [
                ("speaking", language.speaking), ("understanding", language.understanding), ("reading", language.reading),
                ("writing", language.writing),
            ]
            for (name, level) in levels {
                check((0...4).contains(level), "languages[\(index)].\(name)", "levels are 0 (none) to 4 (native or fluent)")
            }
        }
        let skills = skills ?? []
        check(Set(skills.map(\.code)).count == skills.count, "skills", "each skill at most once")
        for (index, skill) in skills.enumerated() {
            check(
                codes.skills.contains(skill.code), "skills[\(index)].code",
                "unknown skill \(skill.code) (a skill, not a group, of /v1/skills)")
            check((1...4).contains(skill.level), "skills[\(index)].level", "levels are 1 to 4")
            check((0...80).contains(skill.years), "skills[\(index)].years", "years are 0 to 80")
        }
        try check.finish()
        return ProviderDraft(
            fullName: name, kind: kind!, gender: gender!, birthYear: birthYear, nationalID: nationalID?.isEmpty == true ? nil : nationalID,
            phone: phone?.isEmpty == true ? nil : phone, bio: bio?.isEmpty == true ? nil : bio, homeUbigeo: home!,
            dailyRateCents: dailyRateCents, travelRadiusKm: travelRadiusKm, willLiveInCommunity: willLiveInCommunity ?? false,
            languages: languages,
            skills: skills, status: status!, consentToPublish: consentToPublish ?? false
        )
    }
}

/// A provider profile that passed `ProviderInput.checked(against:)`, the only maker of one.
public struct ProviderDraft: Sendable, Equatable {
    public let fullName: String
    public let kind: ProviderKind
    public let gender: Gender
    public let birthYear: Int?
    public let nationalID: String?
    public let phone: String?
    public let bio: String?
    public let homeUbigeo: Ubigeo
    public let dailyRateCents: Int64
    public let travelRadiusKm: Int
    public let willLiveInCommunity: Bool
    public let languages: [ProviderLanguage]
    public let skills: [ProviderSkill]
    public let status: ProviderStatus
    public let consentToPublish: Bool
}
