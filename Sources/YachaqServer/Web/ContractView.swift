import Foundation
import YachaqDomain
import YachaqStore

/// A contract as its pages show it: the terms, funding lines with what each paid, milestones
/// and payments (the page, the printed copy and a receipt); the steps, the payment form and
/// the rating for those who manage it.
struct ContractView: PageView {
    struct FundingLine: PageValues {
        let name: String
        let source: String
        let amount: String
        let paid: String
        let left: String
        /// The line as the payment form sends it: payer and kind.
        let value: String
        let open: Bool
    }
    struct Milestone: PageValues {
        let id: String
        let title: String
        let due: String
        let status: String
        let on: String?
    }
    struct Payment: PageValues {
        let id: String
        let receipt: String
        let amount: String
        let on: String
        let onSaid: String
        let method: String
        let funding: String
        let balance: String
        let reference: String?
    }
    /// A step the contract can take; a refused one shows its error and what was typed.
    struct Move: PageValues {
        let to: String
        let name: String
        let needsReason: Bool
        var reason = ""
        var error: String?
    }
    struct Dimension: PageValues {
        struct Score: PageValues {
            let score: Int
            let checked: Bool
        }
        let name: String
        let label: String
        let help: String
        let scores: [Score]
    }

    let id: String
    /// `id` again, for sections whose rows have an `id` of their own (a milestone, a payment).
    let contractId: String
    let title: String
    let number: String
    let scope: String?
    let status: String
    let buyer: String
    let technician: String
    let dates: String
    let amount: String
    let paid: String
    let balance: String
    let requestId: String?
    let families: Int?
    let funding: [FundingLine]
    let milestones: [Milestone]
    let payments: [Payment]
    var errors: [String: String] = [:]
    var typed: [String: String] = [:]
    var manages = false
    var moves: [Move] = []
    var canPay = false
    /// Read inside each milestone.
    var canJudge = false
    var methods: [Choice] = []
    var idempotency = ""
    var today = ""
    var judgingDay = ""
    var rating: RatingLine?
    var canRate = false
    var dimensions: [Dimension] = []
    /// The receipt's payment.
    var payment: Payment?

    init(_ file: ContractFile, _ words: PageWords) {
        let found = file.contract, names = file.organizationNames
        (id, contractId, title, number) = (found.id.page, found.id.page, found.title, found.numberText)
        scope = found.scope.isEmpty ? nil : found.scope
        status = words("status.contract.\(found.status.rawValue)")
        (buyer, technician) = (names[found.organizationID] ?? "", file.technicianName)
        dates = words.dates(found.startsOn, found.endsOn)
        (amount, paid, balance) = (words.money(found.amountCents), words.money(found.paidCents), words.money(found.balanceCents))
        (requestId, families) = (found.requestID?.page, found.families)
        funding = found.funding.map { line in
            FundingLine(
                name: words("funding.\(line.kind.rawValue)"), source: names[line.sourceOrganizationID] ?? "",
                amount: words.money(line.amountCents), paid: words.money(line.paidCents),
                left: words.money(line.amountCents - line.paidCents), value: "\(line.sourceOrganizationID.page)|\(line.kind.rawValue)",
                open: line.paidCents < line.amountCents)
        }
        milestones = found.milestones.map {
            Milestone(
                id: $0.id.page, title: $0.title, due: words.date($0.dueOn), status: words("status.milestone.\($0.status.rawValue)"),
                on: $0.on.map(words.date))
        }
        var running: Int64 = 0
        payments = file.payments.enumerated().map { position, payment in
            running += payment.amountCents
            return Payment(
                id: payment.id.page, receipt: found.receiptNumber(position + 1), amount: words.money(payment.amountCents),
                on: words.shortDate(payment.paidOn), onSaid: words.date(payment.paidOn), method: words("method.\(payment.method.rawValue)"),
                funding: words("funding.\(payment.fundingKind.rawValue)"), balance: words.money(found.amountCents - running),
                reference: payment.reference)
        }
    }
}

/// The contract on paper, for the assembly to sign: its terms, the clauses in the reader's
/// language, and lines for the buyer's representative, the technician and two witnesses,
/// each with a DNI (the technician's printed once the contract is signed, else written by hand).
struct ContractPrintView: PageView {
    let contract: ContractView
    let clauses: [String]
    let technicianDni: String?

    static let clauseNames = ["object", "term", "price", "payment", "technician", "buyer", "end", "complaints"]

    init(_ file: ContractFile, _ words: PageWords) {
        let found = file.contract
        contract = ContractView(file, words)
        let place = Ubigeo(found.ubigeo).flatMap { words.reference.district($0) }
        let values = [
            "technician": file.technicianName, "buyer": contract.buyer, "title": found.title,
            "place": place.map { "\($0.district), \($0.province), \($0.department)" } ?? found.ubigeo,
            "from": words.date(found.startsOn), "to": words.date(found.endsOn), "amount": words.money(found.amountCents),
        ]
        clauses = Self.clauseNames.map { words("print.clause_\($0)", values) }
        technicianDni = found.status == .draft ? nil : file.technicianNationalID
    }
}
