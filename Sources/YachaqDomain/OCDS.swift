import Foundation

/// Contracts as Open Contracting Data Standard 1.1 releases (`GET /v1/exports/ocds`): one
/// release per contract, tagged `contract` (and `implementation` once paid), with its
/// parties (buyer; funders and payers; the technician as supplier and payee), the request
/// as tender, the award, the contract with its milestones and amendments, payments as
/// transactions, and the funding lines through the budget breakdown extension. A
/// technician's DNI and phone number are never part of it.
public enum OCDS {
    /// The extension the funding lines need (`planning.budget.budgetBreakdown`).
    public static let extensions = [
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_budget_breakdown_extension/master/extension.json"
    ]

    /// Everything one release is made of, as the stores read it.
    public struct Source: Sendable {
        public var contract: Contract
        public var request: ServiceRequest?
        public var payments: [Payment]
        /// Names of the organisations it mentions, by id.
        public var organizations: [UUID: String]
        /// The technician as the release names them: their id and name when their profile is
        /// public, a stable pseudonym otherwise (`OCDSExport`).
        public var supplier: Named

        public init(contract: Contract, request: ServiceRequest?, payments: [Payment], organizations: [UUID: String], supplier: Named) {
            self.contract = contract
            self.request = request
            self.payments = payments
            self.organizations = organizations
            self.supplier = supplier
        }
    }

    /// A party's id and name in a release.
    public struct Named: Sendable, Equatable {
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The encoder of releases: OCDS names are camelCase, dates RFC 3339.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The release of one contract; `prefix` makes its `ocid` (an OCDS prefix, e.g. "ocds-213czf").
    public static func release(_ source: Source, prefix: String) -> Release {
        let contract = source.contract
        let supplier = Reference(id: source.supplier.id, name: source.supplier.name)
        func organization(_ id: UUID) -> Reference { Reference(id: id.uuidString.lowercased(), name: source.organizations[id] ?? "") }
        var roles: [String: Set<String>] = [organization(contract.organizationID).id: ["buyer"], supplier.id: ["supplier", "payee"]]
        for line in contract.funding { roles[organization(line.sourceOrganizationID).id, default: []].insert("funder") }
        for payment in source.payments { roles[organization(payment.payerOrganizationID).id, default: []].insert("payer") }
        var names: [String: String] = [supplier.id: supplier.name]
        for (id, name) in source.organizations { names[id.uuidString.lowercased()] = name }
        let parties = roles.keys.sorted().map { Party(id: $0, name: names[$0] ?? "", roles: roles[$0]!.sorted()) }
        let value = Value(cents: contract.amountCents)
        let period = Period(startDate: day(contract.startsOn), endDate: day(contract.endsOn))
        let signed = contract.transitions.first { $0.to == .signed }?.at
        let transactions = source.payments.map { payment in
            Transaction(
                id: payment.id.uuidString.lowercased(), date: day(payment.paidOn), value: Value(cents: payment.amountCents),
                payer: organization(payment.payerOrganizationID), payee: supplier)
        }
        let release = Release(
            ocid: "\(prefix)-\(contract.id.uuidString.lowercased())",
            id: "\(contract.id.uuidString.lowercased())-\(Int(contract.updatedAt.timeIntervalSince1970))",
            date: contract.updatedAt, tag: transactions.isEmpty ? ["contract"] : ["contract", "implementation"],
            initiationType: "tender", language: "es", parties: parties, buyer: organization(contract.organizationID),
            planning: Planning(
                budget: Budget(
                    amount: value,
                    budgetBreakdown: contract.funding.filter { $0.amountCents > 0 }.map { line in
                        BudgetBreakdown(
                            id: line.id.uuidString.lowercased(), description: line.kind.rawValue, amount: Value(cents: line.amountCents),
                            sourceParty: organization(line.sourceOrganizationID))
                    })),
            tender: source.request.map { request in
                Tender(
                    id: request.id.uuidString.lowercased(), title: request.title,
                    description: request.description.isEmpty ? nil : request.description,
                    status: tenderStatus(request.status), value: Value(cents: request.budgetCents),
                    procurementMethod: contract.applicationID == nil ? "direct" : "limited",
                    contractPeriod: Period(startDate: day(request.startsOn), endDate: day(request.endsOn)))
            },
            awards: [
                Award(
                    id: "award-\(contract.id.uuidString.lowercased())", status: awardStatus(contract.status), date: signed, value: value,
                    suppliers: [supplier], contractPeriod: period)
            ],
            contracts: [
                ReleaseContract(
                    id: contract.id.uuidString.lowercased(), awardID: "award-\(contract.id.uuidString.lowercased())", title: contract.title,
                    description: contract.scope.isEmpty ? nil : contract.scope, status: contractStatus(contract.status), period: period,
                    value: value, dateSigned: signed,
                    milestones: contract.milestones.map { milestone in
                        ReleaseMilestone(
                            id: milestone.id.uuidString.lowercased(), title: milestone.title, dueDate: day(milestone.dueOn),
                            status: milestoneStatus(milestone.status), dateMet: milestone.status == .met ? milestone.on.map(day) : nil)
                    },
                    amendments: contract.amendments.map { amendment in
                        Amendment(id: amendment.id.uuidString.lowercased(), date: amendment.createdAt, rationale: amendment.reason)
                    },
                    implementation: transactions.isEmpty ? nil : Implementation(transactions: transactions))
            ])
        return release
    }

    /// A date of the API as OCDS's date-time: the day's start in Peru (UTC-5).
    static func day(_ date: String) -> String { "\(date)T00:00:00-05:00" }

    static func contractStatus(_ status: ContractStatus) -> String {
        switch status {
        case .draft: "pending"
        case .signed, .active: "active"
        case .completed, .terminated: "terminated"
        case .cancelled: "cancelled"
        }
    }

    static func awardStatus(_ status: ContractStatus) -> String {
        switch status {
        case .draft: "pending"
        case .cancelled: "cancelled"
        case .signed, .active, .completed, .terminated: "active"
        }
    }

    static func tenderStatus(_ status: ServiceRequestStatus) -> String {
        switch status {
        case .open: "active"
        case .awarded, .closed: "complete"
        case .cancelled: "cancelled"
        }
    }

    static func milestoneStatus(_ status: MilestoneStatus) -> String {
        switch status {
        case .pending: "scheduled"
        case .met: "met"
        case .notMet: "notMet"
        }
    }

    public struct Release: Encodable, Sendable {
        var ocid, id: String
        var date: Date
        var tag: [String]
        var initiationType, language: String
        var parties: [Party]
        var buyer: Reference
        var planning: Planning
        var tender: Tender?
        var awards: [Award]
        var contracts: [ReleaseContract]
    }

    struct Reference: Encodable, Sendable {
        var id, name: String
    }

    struct Party: Encodable, Sendable {
        var id, name: String
        var roles: [String]
    }

    struct Value: Encodable, Sendable {
        var amount: Decimal
        var currency = "PEN"

        init(cents: Int64) {
            amount = Decimal(cents) / 100
        }
    }

    struct Period: Encodable, Sendable {
        var startDate, endDate: String
    }

    struct Planning: Encodable, Sendable {
        var budget: Budget
    }

    struct Budget: Encodable, Sendable {
        var amount: Value
        var budgetBreakdown: [BudgetBreakdown]
    }

    struct BudgetBreakdown: Encodable, Sendable {
        var id, description: String
        var amount: Value
        var sourceParty: Reference
    }

    struct Tender: Encodable, Sendable {
        var id, title: String
        var description: String?
        var status: String
        var value: Value
        var procurementMethod: String
        var contractPeriod: Period
    }

    struct Award: Encodable, Sendable {
        var id, status: String
        var date: Date?
        var value: Value
        var suppliers: [Reference]
        var contractPeriod: Period
    }

    struct ReleaseContract: Encodable, Sendable {
        var id, awardID, title: String
        var description: String?
        var status: String
        var period: Period
        var value: Value
        var dateSigned: Date?
        var milestones: [ReleaseMilestone]
        var amendments: [Amendment]
        var implementation: Implementation?
    }

    struct ReleaseMilestone: Encodable, Sendable {
        var id, title, dueDate, status: String
        var dateMet: String?
    }

    struct Amendment: Encodable, Sendable {
        var id: String
        var date: Date
        var rationale: String
    }

    struct Implementation: Encodable, Sendable {
        var transactions: [Transaction]
    }

    struct Transaction: Encodable, Sendable {
        var id, date: String
        var value: Value
        var payer, payee: Reference
    }
}
