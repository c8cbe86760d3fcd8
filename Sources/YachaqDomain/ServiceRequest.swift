import Foundation

public enum ServiceRequestStatus: String, Sendable, Codable, CaseIterable {
    case open, awarded, cancelled, closed

    /// The buyer's own moves: `cancelled` (the need is gone) or `closed` (done with it:
    /// contracted, or nobody suitable), from `open` or `awarded`; both are final. `awarded`
    /// comes only from selecting an application, and goes back to `open` only when the
    /// selected technician withdraws.
    public func canBeMoved(to next: ServiceRequestStatus) -> Bool {
        [.open, .awarded].contains(self) && Self.buyersEndings.contains(next)
    }

    public static let buyersEndings: Set<ServiceRequestStatus> = [.cancelled, .closed]
}

/// `POST /v1/requests/{id}/transitions`: the buyer cancels or closes a request, saying why.
public struct ServiceRequestTransition: CheckedInput {
    public var to: String
    public var reason: String?

    public init(to: String, reason: String? = nil) {
        self.to = to
        self.reason = reason
    }

    public func checked(against codes: ReferenceCodes) throws -> ServiceRequestTransitionDraft {
        var check = Validator()
        let status = ServiceRequestStatus(rawValue: to).flatMap { ServiceRequestStatus.buyersEndings.contains($0) ? $0 : nil }
        check(status != nil, "to", "must be cancelled or closed")
        let reason = reason?.trimmed
        check((reason?.count ?? 0) <= 2000, "reason", "must be at most 2,000 characters")
        try check.finish()
        return ServiceRequestTransitionDraft(status: status!, reason: reason?.isEmpty == true ? nil : reason)
    }
}

/// What `ServiceRequestTransition.checked(against:)` makes of a valid one.
public struct ServiceRequestTransitionDraft: Sendable {
    public let status: ServiceRequestStatus
    public let reason: String?
}

/// A demand request as a buyer sends it.
public struct NewServiceRequest: CheckedInput {
    /// One technician's work names a few skills and languages; the shortlist's query values
    /// each candidate with one written-out expression per wanted key (SQL/0021), 8 at most,
    /// and each language looks up itself and its macrolanguage.
    public static let mostSkills = 8
    public static let mostLanguages = 4

    /// Staff post for an organisation; community and municipality users for their own.
    public var organizationID: UUID?
    public var title: String
    public var description: String?
    public var skills: [String]
    public var languages: [String]
    public var ubigeo: String
    public var startsOn: String
    public var endsOn: String
    public var budgetCents: Int64
    public var mustLiveInCommunity: Bool?
    public var exclusive: Bool?
    public var preferredGender: String?
    /// How many families the work serves.
    public var families: Int?

    public init(
        organizationID: UUID? = nil, title: String, description: String? = nil, skills: [String], languages: [String], ubigeo: String,
        startsOn: String, endsOn: String, budgetCents: Int64, mustLiveInCommunity: Bool? = nil, exclusive: Bool? = nil,
        preferredGender: String? = nil, families: Int? = nil
    ) {
        self.organizationID = organizationID
        self.title = title
        self.description = description
        self.skills = skills
        self.languages = languages
        self.ubigeo = ubigeo
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.budgetCents = budgetCents
        self.mustLiveInCommunity = mustLiveInCommunity
        self.exclusive = exclusive
        self.preferredGender = preferredGender
        self.families = families
    }

    /// Checked, and the district, skills (or groups) and languages looked up in `codes`.
    public func checked(against codes: ReferenceCodes) throws -> ServiceRequestDraft {
        var check = Validator()
        let title = title.trimmed
        check((3...200).contains(title.count), "title", "must be 3 to 200 characters")
        let description = (description ?? "").trimmed
        check(description.count <= 5000, "description", "must be at most 5,000 characters")
        check((1...Self.mostSkills).contains(skills.count), "skills", "name 1 to \(Self.mostSkills) skills")
        check(Set(skills).count == skills.count, "skills", "each skill at most once")
        check(
            (1...Self.mostLanguages).contains(languages.count), "languages", "name 1 to \(Self.mostLanguages) languages (que: any Quechua)")
        check(Set(languages.map { $0.lowercased() }).count == languages.count, "languages", "each language at most once")
        let ubigeo = check.district(ubigeo, "ubigeo", in: codes)
        for (index, code) in skills.enumerated() {
            check(
                codes.skills.contains(code) || codes.skillGroups.contains(code), "skills[\(index)]",
                "unknown skill \(code) (see /v1/skills)")
        }
        let languageCodes = languages.map { $0.lowercased() }
        for (index, code) in languageCodes.enumerated() {
            check(codes.languages.contains(code), "languages[\(index)]", "unknown language code \(code) (see /v1/languages)")
        }
        let starts = CalendarDate(startsOn), ends = CalendarDate(endsOn)
        check(starts != nil, "starts_on", "a date is written 2026-03-01")
        check(ends != nil, "ends_on", "a date is written 2026-03-01")
        if let starts, let ends { check(ends >= starts, "ends_on", "must not be before starts_on") }
        check(
            (0...Bounds.amountCents).contains(budgetCents), "budget_cents", "must be 0 to \(Bounds.amountCents) céntimos (S/ 100 million)")
        let gender = preferredGender.map { Gender(rawValue: $0) }
        check(gender.map { $0 != nil && $0 != .other } ?? true, "preferred_gender", "female or male, or leave it out")
        check.families(families)
        try check.finish()
        return ServiceRequestDraft(
            organizationID: organizationID, title: title, description: description, skills: skills, languages: languageCodes,
            ubigeo: ubigeo!,
            startsOn: starts!, endsOn: ends!, budgetCents: budgetCents, mustLiveInCommunity: mustLiveInCommunity ?? false,
            exclusive: exclusive ?? false, preferredGender: gender ?? nil, families: families)
    }
}

/// A demand request that passed `NewServiceRequest.checked(against:)`.
public struct ServiceRequestDraft: Sendable {
    /// The organisation named in the input, if any (the route decides whose request it is).
    public let organizationID: UUID?
    public let title: String
    public let description: String
    public let skills: [String]
    public let languages: [String]
    public let ubigeo: Ubigeo
    public let startsOn: CalendarDate
    public let endsOn: CalendarDate
    public let budgetCents: Int64
    public let mustLiveInCommunity: Bool
    public let exclusive: Bool
    public let preferredGender: Gender?
    public let families: Int?
}

public struct ServiceRequest: Sendable, Codable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var title: String
    public var description: String
    public var skills: [String]
    public var languages: [String]
    public var ubigeo: String
    public var startsOn: String
    public var endsOn: String
    public var budgetCents: Int64
    public var mustLiveInCommunity: Bool
    public var exclusive: Bool
    public var preferredGender: Gender?
    public var families: Int?
    public var status: ServiceRequestStatus
    /// Why the buyer cancelled or closed it.
    public var statusReason: String?
    public var createdAt: Date

    public init(
        id: UUID, organizationID: UUID, title: String, description: String, skills: [String], languages: [String], ubigeo: String,
        startsOn: String,
        endsOn: String, budgetCents: Int64, mustLiveInCommunity: Bool, exclusive: Bool, preferredGender: Gender?, families: Int? = nil,
        status: ServiceRequestStatus,
        statusReason: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.title = title
        self.description = description
        self.skills = skills
        self.languages = languages
        self.ubigeo = ubigeo
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.budgetCents = budgetCents
        self.mustLiveInCommunity = mustLiveInCommunity
        self.exclusive = exclusive
        self.preferredGender = preferredGender
        self.families = families
        self.status = status
        self.statusReason = statusReason
        self.createdAt = createdAt
    }
}

/// Encodable too: a merge patch is applied to the request's input as JSON.
extension NewServiceRequest: Encodable {
    /// The request as its buyer edits it: every field that can change while it is open.
    public init(editing request: ServiceRequest) {
        self.init(
            title: request.title, description: request.description.isEmpty ? nil : request.description, skills: request.skills,
            languages: request.languages, ubigeo: request.ubigeo, startsOn: request.startsOn, endsOn: request.endsOn,
            budgetCents: request.budgetCents, mustLiveInCommunity: request.mustLiveInCommunity, exclusive: request.exclusive,
            preferredGender: request.preferredGender?.rawValue, families: request.families)
    }

    /// The members of a request's JSON merge patch (`PATCH /v1/requests/{id}`).
    public static let editableFields: Set<String> = [
        "title", "description", "skills", "languages", "ubigeo", "starts_on", "ends_on", "budget_cents", "must_live_in_community",
        "exclusive", "preferred_gender", "families",
    ]
}
