import Foundation

public enum ContractStatus: String, Sendable, Codable, CaseIterable {
    case draft, signed, active, completed, terminated, cancelled

    /// draft → signed | cancelled; signed → active | cancelled; active → completed | terminated.
    /// Completed, terminated and cancelled are final.
    public func canMove(to next: ContractStatus) -> Bool {
        switch (self, next) {
        case (.draft, .signed), (.draft, .cancelled), (.signed, .active), (.signed, .cancelled), (.active, .completed),
            (.active, .terminated):
            true
        default:
            false
        }
    }

    /// Signed at some point: what counts as contracted in reports.
    public var wasSigned: Bool { self == .signed || self == .active || self == .completed || self == .terminated }

    /// The states in which the provider's days are taken (the exclusion constraint's states).
    public var books: Bool { self == .signed || self == .active }

    /// Payments are recorded from signing until the books are closed after the work.
    public var takesPayments: Bool { self == .signed || self == .active || self == .completed }

    /// Milestones are judged while the work is agreed and under way; once it ended they stay.
    public var milestonesAreJudged: Bool { self == .signed || self == .active }

    /// The buyer rates the work once it ended, well or not.
    public var canBeRated: Bool { self == .completed || self == .terminated }

    /// The terms may be amended until the contract ends.
    public var canBeAmended: Bool { self == .draft || self == .signed || self == .active }
}

/// Who pays a share of a contract.
public enum FundingKind: String, Sendable, Codable, CaseIterable {
    case publicTransfer = "public_transfer"
    case municipal
    case counterpartCash = "counterpart_cash"
    case counterpartInKind = "counterpart_in_kind"
}

public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case cash
    case bankTransfer = "bank_transfer"
    case bancoDeLaNacion = "banco_de_la_nacion"
    case mobileWallet = "mobile_wallet"
    /// Food, lodging, transport or work the community gives, valued: only on a
    /// `counterpart_in_kind` line, which takes nothing else.
    case inKind = "in_kind"

    public func fits(_ kind: FundingKind) -> Bool { (self == .inKind) == (kind == .counterpartInKind) }
}

public enum MilestoneStatus: String, Sendable, Codable, CaseIterable {
    case pending, met
    case notMet = "not_met"
}

/// One share of a contract's funding and what has been paid of it.
public struct FundingLine: Sendable, Codable, Equatable {
    public var id: UUID
    public var sourceOrganizationID: UUID
    public var kind: FundingKind
    public var amountCents: Int64
    public var paidCents: Int64

    public init(id: UUID, sourceOrganizationID: UUID, kind: FundingKind, amountCents: Int64, paidCents: Int64) {
        self.id = id
        self.sourceOrganizationID = sourceOrganizationID
        self.kind = kind
        self.amountCents = amountCents
        self.paidCents = paidCents
    }
}

/// A share as agreed, without what was paid: what amendments record before and after.
public struct FundingShare: Sendable, Codable, Equatable {
    public var sourceOrganizationID: UUID
    public var kind: FundingKind
    public var amountCents: Int64

    public init(sourceOrganizationID: UUID, kind: FundingKind, amountCents: Int64) {
        self.sourceOrganizationID = sourceOrganizationID
        self.kind = kind
        self.amountCents = amountCents
    }
}

public struct Milestone: Sendable, Codable, Equatable {
    public var id: UUID
    public var title: String
    public var dueOn: String
    public var status: MilestoneStatus
    /// The day it was met (or found not met).
    public var on: String?
    public var note: String?

    public init(id: UUID, title: String, dueOn: String, status: MilestoneStatus, on: String?, note: String?) {
        self.id = id
        self.title = title
        self.dueOn = dueOn
        self.status = status
        self.on = on
        self.note = note
    }
}

public struct ContractTransition: Sendable, Codable, Equatable {
    /// nil for the contract's creation.
    public var from: ContractStatus?
    public var to: ContractStatus
    public var reason: String?
    public var actorID: UUID?
    public var at: Date

    public init(from: ContractStatus?, to: ContractStatus, reason: String?, actorID: UUID?, at: Date) {
        self.from = from
        self.to = to
        self.reason = reason
        self.actorID = actorID
        self.at = at
    }
}

/// The terms an amendment may change.
public struct ContractTerms: Sendable, Codable, Equatable {
    public var endsOn: String
    public var amountCents: Int64
    public var funding: [FundingShare]

    public init(endsOn: String, amountCents: Int64, funding: [FundingShare]) {
        self.endsOn = endsOn
        self.amountCents = amountCents
        self.funding = funding
    }
}

public struct ContractAmendment: Sendable, Codable, Equatable {
    public var id: UUID
    public var reason: String
    public var before: ContractTerms
    public var after: ContractTerms
    public var actorID: UUID?
    public var createdAt: Date

    public init(id: UUID, reason: String, before: ContractTerms, after: ContractTerms, actorID: UUID?, createdAt: Date) {
        self.id = id
        self.reason = reason
        self.before = before
        self.after = after
        self.actorID = actorID
        self.createdAt = createdAt
    }
}

/// What has been paid per kind of funding, every kind present (0 when none).
public struct PaidByKind: Sendable, Codable, Equatable {
    public var publicTransfer: Int64 = 0
    public var municipal: Int64 = 0
    public var counterpartCash: Int64 = 0
    public var counterpartInKind: Int64 = 0

    public init(_ lines: [FundingLine]) {
        for line in lines {
            switch line.kind {
            case .publicTransfer: publicTransfer += line.paidCents
            case .municipal: municipal += line.paidCents
            case .counterpartCash: counterpartCash += line.paidCents
            case .counterpartInKind: counterpartInKind += line.paidCents
            }
        }
    }
}

public struct Contract: Sendable, Codable, Equatable {
    public var id: UUID
    public var requestID: UUID?
    public var applicationID: UUID?
    public var organizationID: UUID
    public var providerID: UUID
    public var title: String
    public var scope: String
    /// Where the work is done.
    public var ubigeo: String
    public var startsOn: String
    public var endsOn: String
    public var amountCents: Int64
    public var exclusive: Bool
    /// Families the work serves.
    public var families: Int?
    public var status: ContractStatus
    public var funding: [FundingLine]
    public var milestones: [Milestone]
    public var paidCents: Int64
    public var balanceCents: Int64
    public var paidByKind: PaidByKind
    public var transitions: [ContractTransition]
    public var amendments: [ContractAmendment]
    /// A short number for people (paper, phone, receipts): 1, 2, 3 … in the order contracts
    /// were made.
    public var number: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, requestID: UUID?, applicationID: UUID?, organizationID: UUID, providerID: UUID, title: String, scope: String,
        ubigeo: String, startsOn: String, endsOn: String, amountCents: Int64, exclusive: Bool, families: Int? = nil, status: ContractStatus,
        funding: [FundingLine], milestones: [Milestone], paidCents: Int64, transitions: [ContractTransition],
        amendments: [ContractAmendment], number: Int64, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
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
        self.status = status
        self.funding = funding
        self.milestones = milestones
        self.paidCents = paidCents
        self.balanceCents = amountCents - paidCents
        self.paidByKind = PaidByKind(funding)
        self.transitions = transitions
        self.amendments = amendments
        self.number = number
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The terms as they stand, for an amendment's `before`.
    public var terms: ContractTerms {
        ContractTerms(
            endsOn: endsOn, amountCents: amountCents,
            funding: funding.filter { $0.amountCents > 0 }.map {
                FundingShare(sourceOrganizationID: $0.sourceOrganizationID, kind: $0.kind, amountCents: $0.amountCents)
            })
    }
}

public struct Payment: Sendable, Codable, Equatable {
    public var id: UUID
    public var contractID: UUID
    public var amountCents: Int64
    public var paidOn: String
    public var method: PaymentMethod
    public var payerOrganizationID: UUID
    public var fundingID: UUID
    public var fundingKind: FundingKind
    public var reference: String?
    public var correctsPaymentID: UUID?
    public var recordedBy: UUID?
    public var createdAt: Date

    public init(
        id: UUID, contractID: UUID, amountCents: Int64, paidOn: String, method: PaymentMethod, payerOrganizationID: UUID, fundingID: UUID,
        fundingKind: FundingKind, reference: String?, correctsPaymentID: UUID?, recordedBy: UUID?, createdAt: Date
    ) {
        self.id = id
        self.contractID = contractID
        self.amountCents = amountCents
        self.paidOn = paidOn
        self.method = method
        self.payerOrganizationID = payerOrganizationID
        self.fundingID = fundingID
        self.fundingKind = fundingKind
        self.reference = reference
        self.correctsPaymentID = correctsPaymentID
        self.recordedBy = recordedBy
        self.createdAt = createdAt
    }
}

/// A contract with everything its page shows: its payments, its rating, and the names of the
/// organisations and the technician it names.
public struct ContractFile: Sendable {
    public let contract: Contract
    public let payments: [Payment]
    public let rating: Rating?
    /// The buyer's and every funder's name.
    public let organizationNames: [UUID: String]
    public let technicianName: String
    /// The technician's DNI as recorded, for the printed contract once it is signed.
    public let technicianNationalID: String?

    public init(
        contract: Contract, payments: [Payment], rating: Rating?, organizationNames: [UUID: String], technicianName: String,
        technicianNationalID: String? = nil
    ) {
        self.contract = contract
        self.payments = payments
        self.rating = rating
        self.organizationNames = organizationNames
        self.technicianName = technicianName
        self.technicianNationalID = technicianNationalID
    }
}

extension Contract {
    /// The contract's number as people write it: at least six digits, `000123`.
    public var numberText: String { Self.padded(number, to: 6) }

    /// The receipt of the contract's `position`-th payment (1 for the first, corrections
    /// counted): `R-000123-04`, short enough to read over the phone.
    public func receiptNumber(_ position: Int) -> String {
        "R-\(numberText)-\(Self.padded(Int64(position), to: 2))"
    }

    private static func padded(_ value: Int64, to digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
