import Foundation

/// A funding line as a client sends it.
public struct FundingInput: Codable, Sendable {
    public var sourceOrganizationID: UUID
    public var kind: String
    public var amountCents: Int64

    public init(sourceOrganizationID: UUID, kind: String, amountCents: Int64) {
        self.sourceOrganizationID = sourceOrganizationID
        self.kind = kind
        self.amountCents = amountCents
    }
}

public struct MilestoneInput: Codable, Sendable {
    public var title: String
    public var dueOn: String

    public init(title: String, dueOn: String) {
        self.title = title
        self.dueOn = dueOn
    }
}

/// `POST /v1/contracts`. From a selected application (`application_id`) or a request
/// (`request_id`) the buyer, provider, title, place, days, amount (the budget) and
/// exclusivity come from the request unless given; a direct contract names them all.
public struct NewContract: CheckedInput {
    public var requestID: UUID?
    public var applicationID: UUID?
    public var organizationID: UUID?
    public var providerID: UUID?
    public var title: String?
    public var scope: String?
    public var ubigeo: String?
    public var startsOn: String?
    public var endsOn: String?
    public var amountCents: Int64?
    public var exclusive: Bool?
    /// Families the work serves; from the request unless given.
    public var families: Int?
    public var funding: [FundingInput]
    public var milestones: [MilestoneInput]?

    public init(
        requestID: UUID? = nil, applicationID: UUID? = nil, organizationID: UUID? = nil, providerID: UUID? = nil, title: String? = nil,
        scope: String? = nil, ubigeo: String? = nil, startsOn: String? = nil, endsOn: String? = nil, amountCents: Int64? = nil,
        exclusive: Bool? = nil, families: Int? = nil, funding: [FundingInput], milestones: [MilestoneInput]? = nil
    ) {
        self.requestID = requestID
        self.applicationID = applicationID
        self.organizationID = organizationID
        self.providerID = providerID
        self.title = title
        self.scope = scope
        self.ubigeo = ubigeo
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.amountCents = amountCents
        self.exclusive = exclusive
        self.families = families
        self.funding = funding
        self.milestones = milestones
    }

    /// Each field that was sent, checked; what must come from the request is resolved by
    /// `NewContractDraft.resolved(with:buyer:)` once the store has read it.
    public func checked(against codes: ReferenceCodes) throws -> NewContractDraft {
        var check = Validator()
        let title = title?.trimmed
        if let title { check((3...200).contains(title.count), "title", "must be 3 to 200 characters") }
        let scope = (scope ?? "").trimmed
        check(scope.count <= 5000, "scope", "must be at most 5,000 characters")
        let ubigeo = ubigeo.flatMap { check.district($0, "ubigeo", in: codes) }
        let starts = startsOn.map { check.date($0, "starts_on") }, ends = endsOn.map { check.date($0, "ends_on") }
        if let amountCents { check.amount(amountCents, "amount_cents") }
        check.families(families)
        let funding = check.funding(funding)
        let milestones = (milestones ?? []).enumerated().map { index, milestone in
            let title = milestone.title.trimmed
            check((2...300).contains(title.count), "milestones[\(index)].title", "must be 2 to 300 characters")
            return (title: title, dueOn: check.date(milestone.dueOn, "milestones[\(index)].due_on"))
        }
        check(milestones.count <= 50, "milestones", "at most 50 milestones")
        try check.finish()
        return NewContractDraft(
            requestID: requestID, applicationID: applicationID, organizationID: organizationID, providerID: providerID, title: title,
            scope: scope, ubigeo: ubigeo, startsOn: starts ?? nil, endsOn: ends ?? nil, amountCents: amountCents, exclusive: exclusive,
            families: families, funding: funding, milestones: milestones.map { MilestoneDraft(title: $0.title, dueOn: $0.dueOn!) })
    }
}

public struct MilestoneDraft: Sendable {
    public let title: String
    public let dueOn: CalendarDate
}

/// A `NewContract` whose fields are each valid; some may still be missing.
public struct NewContractDraft: Sendable {
    public let requestID: UUID?
    public let applicationID: UUID?
    public let organizationID: UUID?
    public let providerID: UUID?
    public let title: String?
    public let scope: String
    public let ubigeo: Ubigeo?
    public let startsOn: CalendarDate?
    public let endsOn: CalendarDate?
    public let amountCents: Int64?
    public let exclusive: Bool?
    public let families: Int?
    public let funding: [FundingShare]
    public let milestones: [MilestoneDraft]

    /// The contract's terms: what was sent, else what the request (and the selected
    /// application) says, else the buyer the caller acts for. 422 for what is still missing,
    /// a provider or buyer other than the request's, or funding that does not add up.
    public func resolved(with prefill: ContractPrefill?, buyer: UUID?) throws -> ContractDraft {
        var check = Validator()
        let organization = organizationID ?? prefill?.organizationID ?? buyer
        check(organization != nil, "organization_id", "say which organisation signs as the buyer")
        if let prefill, let organizationID {
            check(organizationID == prefill.organizationID, "organization_id", "the request is another organisation's")
        }
        let provider = providerID ?? prefill?.providerID
        check(provider != nil, "provider_id", "say which technician is hired")
        if let chosen = prefill?.providerID, let providerID {
            check(providerID == chosen, "provider_id", "the assembly selected another technician")
        }
        let title = title ?? prefill?.title
        check(title != nil, "title", "is required")
        let starts = startsOn ?? prefill?.startsOn, ends = endsOn ?? prefill?.endsOn
        check(starts != nil, "starts_on", "is required")
        check(ends != nil, "ends_on", "is required")
        if let starts, let ends { check(ends >= starts, "ends_on", "must not be before starts_on") }
        let amount = amountCents ?? prefill?.budgetCents
        check(amount.map { $0 > 0 } ?? false, "amount_cents", "is required: more than 0 céntimos")
        if let amount, amount > 0 { check.fundingAddsUp(funding, to: amount) }
        try check.finish()
        return ContractDraft(
            requestID: requestID ?? prefill?.requestID, applicationID: applicationID, organizationID: organization!, providerID: provider!,
            title: title!, scope: scope, ubigeo: ubigeo ?? prefill?.ubigeo, startsOn: starts!, endsOn: ends!, amountCents: amount!,
            exclusive: exclusive ?? prefill?.exclusive ?? false, families: families ?? prefill?.families, funding: funding,
            milestones: milestones)
    }
}

/// What a contract takes from its request and the application selected on it.
public struct ContractPrefill: Sendable {
    public let requestID: UUID
    public let organizationID: UUID
    public let providerID: UUID?
    public let title: String
    public let ubigeo: Ubigeo?
    public let startsOn: CalendarDate?
    public let endsOn: CalendarDate?
    public let budgetCents: Int64
    public let exclusive: Bool
    public let families: Int?

    public init(request: ServiceRequest, selected application: JobApplication?) {
        requestID = request.id
        organizationID = request.organizationID
        providerID = application?.providerID
        title = request.title
        ubigeo = Ubigeo(request.ubigeo)
        startsOn = CalendarDate(request.startsOn)
        endsOn = CalendarDate(request.endsOn)
        budgetCents = request.budgetCents
        exclusive = request.exclusive
        families = request.families
    }
}

/// A contract ready to be written: every term present and consistent.
public struct ContractDraft: Sendable {
    public let requestID: UUID?
    public let applicationID: UUID?
    public let organizationID: UUID
    public let providerID: UUID
    public let title: String
    public let scope: String
    /// nil: the buyer's district.
    public let ubigeo: Ubigeo?
    public let startsOn: CalendarDate
    public let endsOn: CalendarDate
    public let amountCents: Int64
    public let exclusive: Bool
    public let families: Int?
    public let funding: [FundingShare]
    public let milestones: [MilestoneDraft]
}

/// `POST /v1/contracts/{id}/transitions`.
public struct ContractTransitionInput: CheckedInput {
    public var to: String
    public var reason: String?

    public init(to: String, reason: String? = nil) {
        self.to = to
        self.reason = reason
    }

    public func checked(against codes: ReferenceCodes) throws -> ContractTransitionDraft {
        var check = Validator()
        let status = ContractStatus(rawValue: to)
        check(status != nil && status != .draft, "to", "must be signed, active, completed, terminated or cancelled")
        let reason = reason?.trimmed
        check((reason?.count ?? 0) <= 2000, "reason", "must be at most 2,000 characters")
        // Ending a commitment early is explained to the other side, the auditors and the next buyer.
        if let status, [.terminated, .cancelled].contains(status) {
            check(!(reason ?? "").isEmpty, "reason", "say why the contract is \(status.rawValue)")
        }
        try check.finish()
        return ContractTransitionDraft(status: status!, reason: reason?.isEmpty == true ? nil : reason)
    }
}

public struct ContractTransitionDraft: Sendable {
    public let status: ContractStatus
    public let reason: String?
}

/// `POST /v1/contracts/{id}/amendments`: a new end date, or a new amount with its funding
/// re-balanced (or the funding alone re-balanced), and why.
public struct ContractAmendmentInput: CheckedInput {
    public var endsOn: String?
    public var amountCents: Int64?
    public var funding: [FundingInput]?
    public var reason: String

    public init(endsOn: String? = nil, amountCents: Int64? = nil, funding: [FundingInput]? = nil, reason: String) {
        self.endsOn = endsOn
        self.amountCents = amountCents
        self.funding = funding
        self.reason = reason
    }

    public func checked(against codes: ReferenceCodes) throws -> ContractAmendmentDraft {
        var check = Validator()
        let reason = reason.trimmed
        check((3...2000).contains(reason.count), "reason", "say why, in 3 to 2,000 characters")
        check(endsOn != nil || amountCents != nil || funding != nil, "", "change ends_on, amount_cents or funding")
        let ends = endsOn.map { check.date($0, "ends_on") }
        if let amountCents {
            check.amount(amountCents, "amount_cents")
            check(funding != nil, "funding", "a new amount needs its funding re-balanced")
        }
        let funding = funding.map { check.funding($0) }
        try check.finish()
        return ContractAmendmentDraft(endsOn: ends ?? nil, amountCents: amountCents, funding: funding, reason: reason)
    }
}

public struct ContractAmendmentDraft: Sendable {
    public let endsOn: CalendarDate?
    public let amountCents: Int64?
    public let funding: [FundingShare]?
    public let reason: String

    /// The terms after this amendment of `contract`: 422 when the end falls before the start
    /// or the funding does not add up to the amount.
    public func terms(amending contract: Contract) throws -> ContractTerms {
        var check = Validator()
        let ends = endsOn?.text ?? contract.endsOn
        check(ends >= contract.startsOn, "ends_on", "must not be before the contract's start, \(contract.startsOn)")
        let amount = amountCents ?? contract.amountCents
        let funding = funding ?? contract.terms.funding
        check.fundingAddsUp(funding, to: amount)
        try check.finish()
        return ContractTerms(endsOn: ends, amountCents: amount, funding: funding)
    }
}

/// `PATCH /v1/contracts/{id}/milestones/{milestone_id}`: the buyer judges a milestone.
public struct MilestoneChange: CheckedInput {
    public var status: String
    public var on: String
    public var note: String?

    public init(status: String, on: String, note: String? = nil) {
        self.status = status
        self.on = on
        self.note = note
    }

    public func checked(against codes: ReferenceCodes) throws -> MilestoneChangeDraft {
        var check = Validator()
        let status = MilestoneStatus(rawValue: status)
        check(status == .met || status == .notMet, "status", "must be met or not_met")
        let on = check.date(on, "on")
        let note = note?.trimmed
        check((note?.count ?? 0) <= 2000, "note", "must be at most 2,000 characters")
        try check.finish()
        return MilestoneChangeDraft(status: status!, on: on!, note: note?.isEmpty == true ? nil : note)
    }
}

public struct MilestoneChangeDraft: Sendable {
    public let status: MilestoneStatus
    public let on: CalendarDate
    public let note: String?
}

extension Validator {
    /// A date field written 2026-03-01.
    mutating func date(_ text: String, _ field: String) -> CalendarDate? {
        let date = CalendarDate(text)
        self(date != nil, field, "a date is written 2026-03-01, years 1900 to 2200")
        return date
    }

    /// How many families a request's or contract's work serves: 1 to 100,000, or not said.
    mutating func families(_ families: Int?) {
        self(families.map { (1...100_000).contains($0) } ?? true, "families", "must be 1 to 100,000 families, or left out")
    }

    /// An amount of a contract or payment: 1 céntimo to S/ 100 million.
    mutating func amount(_ cents: Int64, _ field: String) {
        self((1...Bounds.amountCents).contains(cents), field, "must be 1 to \(Bounds.amountCents) céntimos (S/ 100 million)")
    }

    /// Funding lines: 1 to 20, each a known kind and a positive amount, no source and kind twice.
    mutating func funding(_ lines: [FundingInput]) -> [FundingShare] {
        self((1...20).contains(lines.count), "funding", "name 1 to 20 funding lines")
        var seen: Set<String> = []
        return lines.enumerated().compactMap { index, line in
            let kind = FundingKind(rawValue: line.kind)
            self(kind != nil, "funding[\(index)].kind", "must be public_transfer, municipal, counterpart_cash or counterpart_in_kind")
            amount(line.amountCents, "funding[\(index)].amount_cents")
            let fresh = seen.insert("\(line.sourceOrganizationID) \(line.kind)").inserted
            self(fresh, "funding[\(index)]", "this organisation already has a line of this kind")
            return kind.map { FundingShare(sourceOrganizationID: line.sourceOrganizationID, kind: $0, amountCents: line.amountCents) }
        }
    }

    /// The lines' amounts add up to the contract's amount, to the céntimo. (At most 20 lines
    /// of at most S/ 100 million each: the sum cannot overflow.)
    mutating func fundingAddsUp(_ lines: [FundingShare], to amount: Int64) {
        let total = lines.reduce(0) { $0 + $1.amountCents }
        self(total == amount, "funding", "the lines add up to \(total) céntimos, not the amount, \(amount)")
    }
}
