import Foundation
import Hummingbird
import YachaqDomain
import YachaqStore

extension ContractPages {
    /// A payment from the form, once: the form carries an idempotency key, so a form sent
    /// twice over a weak connection records one payment, as the API's `Idempotency-Key` does.
    func recordPayment(_ context: AppRequestContext) async throws -> Response {
        let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
        let form = context.page.form
        let line = (form["line"] ?? "").split(separator: "|").map(String.init)
        let amount = PageForms.cents(form["amount"])
        let input = NewPayment(
            amountCents: amount ?? 0, paidOn: form["paid_on"], method: form["method"],
            payerOrganizationID: line.first.flatMap(UUID.init(uuidString:)), fundingKind: line.count == 2 ? line[1] : nil,
            reference: form["reference"])
        do {
            guard amount != nil else { throw InvalidInput(field: "amount", "soles") }
            let draft = try input.checked(against: reference.codes)
            if !Confirmation.given(form), let asking = try await confirmation(of: draft, context) { return try asking.render(kit, context) }
            let key = form["idempotency"].flatMap(IdempotencyKey.init)
            _ = try await actions.recordPayment(draft, on: id, key: key, by: identity)
            return seeOther("/contracts/\(id.page)#payments", done: "payment")
        } catch {
            guard let errors = PageForms.fieldErrors(of: error) else { throw error }
            let fields = ["amount_cents": "amount", "payer_organization_id": "line", "funding_kind": "line"]
            let file = try await visible(context)
            var messages = try await messages(errors, context, fields: fields)
            // More than is left (the database refused it): said at the amount, with the most
            // that can be paid now on that line and the contract's balance.
            if case StoreError.conflict = error, let amount,
                let chosen = file.contract.funding.first(where: {
                    $0.sourceOrganizationID == input.payerOrganizationID && $0.kind.rawValue == input.fundingKind
                }),
                amount > chosen.amountCents - chosen.paidCents
            {
                let words = try await words(context)
                messages = [
                    "amount": words(
                        "error.field.overpaid",
                        ["most": words.money(chosen.amountCents - chosen.paidCents), "balance": words.money(file.contract.balanceCents)])
                ]
            }
            return try await contractPage(file, context, errors: messages, typed: form)
        }
    }

    /// What recording the payment will say, asked of those who manage the contract before it
    /// is written (a payment is corrected, never deleted): the line, amount, day, method and
    /// the balance after it. More than the line has left is said at the amount at once. Nil
    /// when the step is not theirs or the line is not the contract's: the action refuses it
    /// as the API does.
    func confirmation(of draft: PaymentDraft, _ context: AppRequestContext) async throws -> Confirmation? {
        let file = try await visible(context)
        let found = file.contract, form = context.page.form
        guard Policy.decide(context.identity, .manageContract(organizationID: found.organizationID)) == .allowed,
            found.status.takesPayments,
            let line = found.funding.first(where: {
                $0.sourceOrganizationID == draft.payerOrganizationID && $0.kind == draft.fundingKind
            })
        else { return nil }
        let words = try await words(context), left = line.amountCents - line.paidCents
        // Refused as the database would refuse it, and said the same way (below).
        guard draft.amountCents <= left else { throw StoreError.conflict("More than the line has left.") }
        var facts = [
            (
                words("contract.line"),
                "\(words("funding.\(line.kind.rawValue)")) — \(file.organizationNames[line.sourceOrganizationID] ?? "")"
            ),
            (words("contract.pay_amount"), words.money(draft.amountCents)),
            (words("contract.paid_on"), draft.paidOn.map { words.date($0.text) } ?? ""),
            (words("contract.method"), draft.method.map { words("method.\($0.rawValue)") } ?? ""),
            (words("print.balance_after"), words.money(found.balanceCents - draft.amountCents)),
        ]
        if let reference = draft.reference { facts.append((words("print.reference"), reference)) }
        let sent = ["line", "amount", "paid_on", "method", "reference", "idempotency"].compactMap { name in form[name].map { (name, $0) } }
        return Confirmation(
            heading: words("confirm.payment.ask", ["amount": words.money(draft.amountCents)]), effect: words("confirm.payment.effect"),
            facts: facts, warning: nil, action: "/contracts/\(found.id.page)/payments", fields: sent, yes: words("confirm.payment.yes"),
            back: "/contracts/\(found.id.page)#payments")
    }

    /// One payment on paper: who paid whom, how much, for which contract, and what is left.
    func receipt(_ file: ContractFile, payment id: UUID, _ context: AppRequestContext) async throws -> Response {
        var view = ContractView(file, try await words(context))
        guard let payment = view.payments.first(where: { $0.id == id.page }) else {
            throw Problem.notFound("Contract \(file.contract.id) has no payment \(id).")
        }
        view.payment = payment
        return try kit.render(.receipt, view, context: context)
    }
}
