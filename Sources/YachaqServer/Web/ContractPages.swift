import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// The buyer's path after the choice: the contract from the selected application with its
/// funding shares and milestones, its steps, payments with their balance, printable copies,
/// and the rating when the work ends. Every write is the API's action.
struct ContractPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/requests/{id}/contract") { request, context in
            try await contractForm(try context.parameters.requireID("id"), application: request.pageQuery("application"), context)
        }
        pages.post("/requests/{id}/contract") { _, context in
            try await createContract(try context.parameters.requireID("id"), context)
        }
        pages.get("/contracts/{id}") { _, context in
            try await contractPage(try await visible(context), context)
        }
        pages.get("/contracts/{id}/print") { _, context in
            try kit.render(.contractPrint, ContractPrintView(try await visible(context), try await words(context)), context: context)
        }
        pages.post("/contracts/{id}/transitions") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let form = context.page.form
            do {
                let move = try ContractTransitionInput(to: form["to"] ?? "", reason: form["reason"]).checked(against: reference.codes)
                if !Confirmation.given(form), let asking = try await confirmation(of: move, context) {
                    return try asking.render(kit, context)
                }
                _ = try await actions.moveContract(id, move, by: identity)
                return seeOther("/contracts/\(id.page)", done: "contract_\(move.status.rawValue)")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                return try await contractPage(
                    try await visible(context), context, errors: messages(errors, context, fields: ["to": "transition"]), typed: form)
            }
        }
        pages.post("/contracts/{id}/milestones/{milestone}") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let form = context.page.form
            do {
                let change = try MilestoneChange(status: form["status"] ?? "", on: form["on"] ?? "", note: form["note"])
                    .checked(against: reference.codes)
                _ = try await actions.judgeMilestone(try context.parameters.requireID("milestone"), of: id, change, by: identity)
                return seeOther("/contracts/\(id.page)#milestones", done: "milestone_\(change.status.rawValue)")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                let fields = ["on": "milestone", "status": "milestone", "note": "milestone"]
                return try await contractPage(try await visible(context), context, errors: messages(errors, context, fields: fields))
            }
        }
        pages.post("/contracts/{id}/payments") { _, context in
            try await recordPayment(context)
        }
        pages.get("/contracts/{id}/payments/{payment}/receipt") { _, context in
            try await receipt(try await visible(context), payment: try context.parameters.requireID("payment"), context)
        }
        pages.post("/contracts/{id}/rating") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let form = context.page.form
            let scores = ["technical", "communication", "punctuality", "results"].map { form[$0].flatMap(PageForms.whole) ?? 0 }
            let again = form["again"].map { $0 == "yes" }
            do {
                let draft = try NewRating(
                    technical: scores[0], communication: scores[1], punctuality: scores[2], results: scores[3], wouldHireAgain: again,
                    comment: form["comment"]
                ).checked(against: reference.codes)
                _ = try await actions.rateContract(id, draft, by: identity)
                return seeOther("/contracts/\(id.page)#rating", done: "rated")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                return try await contractPage(
                    try await visible(context), context, errors: messages(errors, context, fields: [:]), typed: form)
            }
        }
    }

    /// The contract with what its page shows, if the reader may see it (its buyer's people,
    /// its technician, staff); 404 otherwise, as the API does. One statement.
    func visible(_ context: AppRequestContext) async throws -> ContractFile {
        try await actions.readContractFile(try context.parameters.requireID("id"), by: try context.signedIn())
    }

    func words(_ context: AppRequestContext) async throws -> PageWords {
        PageWords(kit: kit, language: context.page.language, reference: reference)
    }

    /// What signing, starting, completing, terminating or cancelling will do, asked before
    /// the step of those who manage the contract; nil when the step is not theirs to take or
    /// not open now (the action then refuses it as the API does).
    private func confirmation(of move: ContractTransitionDraft, _ context: AppRequestContext) async throws -> Confirmation? {
        let file = try await visible(context)
        let found = file.contract
        guard Policy.decide(context.identity, .manageContract(organizationID: found.organizationID)) == .allowed,
            found.status.canMove(to: move.status)
        else { return nil }
        let words = try await words(context), to = move.status.rawValue
        var facts = [
            (words("contract.buyer"), file.organizationNames[found.organizationID] ?? ""),
            (words("contract.technician"), file.technicianName),
            (words("contract.dates"), words.dates(found.startsOn, found.endsOn)),
            (words("contract.amount"), words.money(found.amountCents)),
            (words("contract.paid"), words.money(found.paidCents)), (words("contract.balance"), words.money(found.balanceCents)),
        ]
        if let reason = move.reason { facts.append((words("contract.reason"), reason)) }
        let unpaid = move.status == .completed && found.balanceCents > 0
        return Confirmation(
            heading: words("confirm.contract.\(to).ask", ["title": found.title]), effect: words("confirm.contract.\(to).effect"),
            facts: facts, warning: unpaid ? words("confirm.contract.unpaid", ["balance": words.money(found.balanceCents)]) : nil,
            action: "/contracts/\(found.id.page)/transitions", fields: [("to", to)] + (move.reason.map { [("reason", $0)] } ?? []),
            yes: words("confirm.contract.\(to).yes"), back: "/contracts/\(found.id.page)",
            ends: [.terminated, .cancelled].contains(move.status))
    }

    func messages(_ errors: [FieldError], _ context: AppRequestContext, fields: [String: String]) async throws -> [String: String] {
        PageForms.messages(errors, fields: fields, kit: kit, language: context.page.language)
    }

    // MARK: the contract from the selection

    /// Funding lines the form offers: the agency's public transfer, a municipality's share,
    /// and the community's counterpart in cash and in kind.
    static let fundingRows: [(kind: FundingKind, sources: OrganizationKind?)] = [
        (.publicTransfer, .agency), (.municipal, .municipality), (.counterpartCash, nil), (.counterpartInKind, nil),
    ]

    private func contractForm(
        _ requestID: UUID, application: String?, _ context: AppRequestContext, typed: FormFields? = nil, errors: [String: String] = [:]
    ) async throws -> Response {
        let identity = try context.signedIn()
        let found = try await actions.readRequest(requestID)
        let applicationID = (typed?["application"] ?? application).flatMap(UUID.init(uuidString:))
        guard
            let prepared = try await actions.prepareContract(
                found, applicationID: applicationID, funderKinds: Self.fundingRows.compactMap(\.sources), by: identity)
        else { throw Problem.invalid("Select a technician in the assembly first.") }
        let (prefill, provider) = (prepared.prefill, prepared.technician)
        let words = try await words(context)
        var form = typed?.typed ?? [:]
        form["starts_on"] = form["starts_on"] ?? prefill.startsOn?.text ?? ""
        form["ends_on"] = form["ends_on"] ?? prefill.endsOn?.text ?? ""
        form["amount"] = form["amount"] ?? Money.typed(prefill.budgetCents)
        form["families"] = form["families"] ?? prefill.families.map(String.init) ?? ""
        let funding = Self.fundingRows.map { row in
            var entry = ContractFormView.FundingRow(
                kind: row.kind.rawValue, name: words("funding.\(row.kind.rawValue)"), amount: form["fund_\(row.kind.rawValue)"] ?? "")
            if let sources = row.sources {
                entry.sources = (prepared.funders[sources] ?? []).map {
                    Choice(code: $0.id.page, name: $0.name, checked: form["source_\(row.kind.rawValue)"] == $0.id.page)
                }
            } else {
                entry.own = prepared.buyer?.name ?? ""
            }
            return entry
        }
        let view = ContractFormView(
            requestId: requestID.page, application: applicationID?.page ?? "", title: prefill.title,
            technician: words.card(provider), errors: errors, typed: form, funding: funding,
            milestones: (0..<3).map {
                .init(index: $0, title: form["milestone_title_\($0)"] ?? "", due: form["milestone_due_\($0)"] ?? "")
            })
        return try kit.render(.contractForm, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func createContract(_ requestID: UUID, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = context.page.form
        // The request's organisation is the counterpart's source; who may sign for it is the action's to decide.
        let found = try await actions.readRequest(requestID)
        var problems: [FieldError] = []
        let amount = PageForms.cents(form["amount"])
        if amount == nil { problems.append(FieldError(field: "amount", message: "soles")) }
        var funding: [FundingInput] = []
        for row in Self.fundingRows {
            guard let typed = form["fund_\(row.kind.rawValue)"] else { continue }
            guard let cents = PageForms.cents(typed) else {
                problems.append(FieldError(field: "funding", message: "soles"))
                continue
            }
            guard cents > 0 else { continue }
            let source = row.sources == nil ? found.organizationID : form["source_\(row.kind.rawValue)"].flatMap(UUID.init(uuidString:))
            guard let source else {
                problems.append(FieldError(field: "funding", message: "source"))
                continue
            }
            funding.append(FundingInput(sourceOrganizationID: source, kind: row.kind.rawValue, amountCents: cents))
        }
        let milestones = (0..<3).compactMap { index -> MilestoneInput? in
            guard let title = form["milestone_title_\(index)"] else { return nil }
            return MilestoneInput(title: title, dueOn: form["milestone_due_\(index)"] ?? "")
        }
        do {
            let input = NewContract(
                requestID: requestID, applicationID: form["application"].flatMap(UUID.init(uuidString:)), scope: form["scope"],
                startsOn: form["starts_on"], endsOn: form["ends_on"], amountCents: amount ?? 0,
                families: form["families"].flatMap(PageForms.whole), funding: funding, milestones: milestones)
            let codes = reference.codes
            let checked = try PageForms.checked(adding: problems) { try input.checked(against: codes) }
            let contract = try await actions.createContract(checked, by: identity)
            return seeOther("/contracts/\(contract.id.page)", done: "contract_drafted")
        } catch {
            guard let errors = PageForms.fieldErrors(of: error) else { throw error }
            let fields = ["amount_cents": "amount", "application_id": "form", "provider_id": "form"]
            return try await contractForm(
                requestID, application: nil, context, typed: form, errors: try await messages(errors, context, fields: fields))
        }
    }

    // MARK: the contract, its payments and rating

    func contractPage(
        _ file: ContractFile, _ context: AppRequestContext, errors: [String: String] = [:], typed: FormFields? = nil
    ) async throws -> Response {
        let words = try await words(context)
        var view = ContractView(file, words)
        let found = file.contract
        let manages = Policy.decide(context.identity, .manageContract(organizationID: found.organizationID)) == .allowed
        view.manages = manages
        view.errors = errors
        view.typed = typed?.typed ?? [:]
        if manages {
            view.moves = ContractStatus.allCases.filter { found.status.canMove(to: $0) }.map { next in
                var move = ContractView.Move(
                    to: next.rawValue, name: words("move.\(next.rawValue)"), needsReason: next == .terminated || next == .cancelled)
                // A refused move shows its error and what was typed beside its own reason field.
                if typed?["to"] == next.rawValue {
                    move.reason = typed?["reason"] ?? ""
                    move.error = errors["reason"]
                }
                return move
            }
            view.canPay = found.status.takesPayments && found.balanceCents > 0
            view.canJudge = found.status.milestonesAreJudged
            view.methods = PaymentMethod.allCases.map { Choice(code: $0.rawValue, name: words("method.\($0.rawValue)")) }
            view.idempotency = PageMiddleware.newToken()
            let today = actions.recordPayment.today().text
            view.today = today
            // A milestone is judged on a day of the contract: today, or its nearest day.
            view.judgingDay = min(max(today, found.startsOn), found.endsOn)
        }
        if let rating = file.rating {
            view.rating = RatingLine(rating, title: found.title)
        } else if found.status.canBeRated, Policy.decide(context.identity, .rateContract(organizationID: found.organizationID)) == .allowed
        {
            view.canRate = true
            view.dimensions = ["technical", "communication", "punctuality", "results"].map { dimension in
                ContractView.Dimension(
                    name: dimension, label: words("rating.\(dimension)"), help: words("rating.\(dimension)_help"),
                    scores: (1...5).map { .init(score: $0, checked: typed?[dimension] == "\($0)") })
            }
        }
        return try kit.render(.contract, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}

/// The contract's form from the assembly's choice: dates, amount, families, scope, each
/// funding line with its source, and up to three milestones.
struct ContractFormView: PageView {
    struct FundingRow: PageValues {
        let kind: String
        let name: String
        let amount: String
        /// Where the money comes from: one of these organisations, or the buyer's `own`.
        var sources: [Choice] = []
        var own: String?
    }
    struct MilestoneRow: PageValues {
        let index: Int
        let title: String
        let due: String
    }

    let requestId: String
    let application: String
    let title: String
    let technician: ProviderCard
    let errors: [String: String]
    let typed: [String: String]
    let funding: [FundingRow]
    let milestones: [MilestoneRow]
}
