import Foundation
import Hummingbird
import YachaqDomain

extension RequestPages {
    /// The steps of an application that cannot be undone: the assembly's choice, a rejection,
    /// the technician's withdrawal.
    static let asked: Set<JobApplicationStatus> = [.selected, .rejected, .withdrawn]

    /// What choosing, rejecting or withdrawing will do, asked before the step of the one whose
    /// step it is; nil when it is not theirs or not open now (the action then refuses it as
    /// the API does).
    func confirmation(of change: JobApplicationChangeDraft, application id: UUID, by identity: Identity, _ context: AppRequestContext)
        async throws -> Confirmation?
    {
        guard Self.asked.contains(change.status) else { return nil }
        let (application, organization, name) = try await actions.readApplication.withApplicantName(id, by: identity)
        let found = try await actions.readRequest(application.requestID)
        let step: Policy.Action =
            change.status == .withdrawn ? .actAsProvider(application.providerID) : .manageServiceRequest(organizationID: organization)
        let theirs = Policy.decide(identity, step) == .allowed
        guard theirs, application.status.canMove(to: change.status), change.status != .selected || found.status == .open else {
            return nil
        }
        let words = PageWords(kit: kit, language: context.page.language, reference: reference)
        let status = change.status.rawValue
        var facts = [
            (words("confirm.request_name"), found.title), (words("contract.technician"), name),
            (words("contract.dates"), words.dates(found.startsOn, found.endsOn)),
            (words("request_form.budget"), words.money(found.budgetCents)),
        ]
        if let interview = application.interview { facts.append((words("request.interview_date"), words.date(interview.heldOn))) }
        if let reason = change.reason { facts.append((words("request.reason"), reason)) }
        let back = change.status == .withdrawn ? "/opportunities" : "/requests/\(found.id.page)#applications"
        return Confirmation(
            heading: words("confirm.application.\(status).ask", ["name": name, "title": found.title]),
            effect: words("confirm.application.\(status).effect", ["name": name]), facts: facts, warning: nil,
            action: "/applications/\(id.page)", fields: [("status", status)] + (change.reason.map { [("reason", $0)] } ?? []),
            yes: words("confirm.application.\(status).yes", ["name": name]), back: back, ends: change.status != .selected)
    }
}

extension RequestPages {
    /// The buyer closes a request (done with it) or cancels it (the need is gone), with a
    /// reason, after a page that says what it means; the same checks as the API's transition.
    func moveRequest(_ id: UUID, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = context.page.form
        do {
            let move = try ServiceRequestTransition(to: form["to"] ?? "", reason: form["reason"]).checked(against: reference.codes)
            // Read only to ask: once confirmed, the action reads it under its lock.
            if !Confirmation.given(form), case let found = try await actions.readRequest(id),
                Policy.decide(identity, .manageServiceRequest(organizationID: found.organizationID)) == .allowed,
                found.status.canBeMoved(to: move.status)
            {
                let words = PageWords(kit: kit, language: context.page.language, reference: reference)
                let to = move.status.rawValue
                var facts = [
                    (words("confirm.request_name"), found.title), (words("contract.dates"), words.dates(found.startsOn, found.endsOn)),
                ]
                if let reason = move.reason { facts.append((words("request.reason"), reason)) }
                return try Confirmation(
                    heading: words("confirm.request.\(to).ask", ["title": found.title]), effect: words("confirm.request.\(to).effect"),
                    facts: facts, warning: nil, action: "/requests/\(id.page)/transitions",
                    fields: [("to", to)] + (move.reason.map { [("reason", $0)] } ?? []), yes: words("confirm.request.\(to).yes"),
                    back: "/requests/\(id.page)", ends: true
                ).render(kit, context)
            }
            _ = try await actions.moveServiceRequest(id, move, by: identity)
            return seeOther("/requests/\(id.page)", done: "request_\(move.status.rawValue)")
        } catch {
            guard let errors = PageForms.fieldErrors(of: error) else { throw error }
            let messages = PageForms.messages(
                errors, fields: ["to": "form", "reason": "end_reason"], kit: kit, language: context.page.language)
            return try await requestPage(try await actions.readRequest(id), context, errors: messages, typed: form)
        }
    }
}
