import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// The buyer's path up to the choice: home, posting a request, its shortlist with reasons,
/// invitations, interviews and the assembly's selection, and the call on the local radio.
/// Every write is the API's action.
struct RequestPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData
    let technician: TechnicianPages

    /// How many technicians the shortlist page shows: enough to choose among, light on a phone.
    static let shortlistLength = 10

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/home") { _, context in
            let identity = try context.signedIn()
            if identity.role == .provider { return try await technician.home(context) }
            return try await home(identity, context)
        }
        pages.get("/new-request") { _, context in
            _ = try buyer(context)
            return try await requestForm(context, typed: FormFields())
        }
        pages.post("/new-request") { _, context in
            try await postRequest(context)
        }
        pages.get("/requests/{id}") { _, context in
            try await requestPage(try await existing(context), context)
        }
        pages.get("/requests/{id}/edit") { _, context in
            let found = try await existing(context)
            try context.require(.manageServiceRequest(organizationID: found.organizationID))
            return try await requestForm(context, typed: Self.typed(found), editing: found.id)
        }
        pages.post("/requests/{id}/edit") { _, context in
            try await editRequest(try context.parameters.requireID("id"), context)
        }
        pages.get("/requests/{id}/radio") { _, context in
            try await radio(try await existing(context), context)
        }
        pages.post("/requests/{id}/invite") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            guard let provider = context.page.form["provider_id"].flatMap(UUID.init(uuidString:)) else {
                throw Problem.validation(field: "provider_id", "must be an id (UUID)")
            }
            let draft = try NewJobApplication(providerID: provider, note: nil).checked(against: reference.codes)
            _ = try await actions.applyToRequest(id, draft, by: identity)
            return seeOther("/requests/\(id.page)#applications", done: "invited")
        }
        pages.post("/requests/{id}/transitions") { _, context in
            try await moveRequest(try context.parameters.requireID("id"), context)
        }
        pages.post("/applications/{id}") { _, context in
            try await changeApplication(try context.parameters.requireID("id"), context)
        }
    }

    private func existing(_ context: AppRequestContext) async throws -> ServiceRequest {
        let id = try context.parameters.requireID("id")
        return try await actions.readRequest(id)
    }

    private func words(_ context: AppRequestContext) async throws -> PageWords {
        PageWords(kit: kit, language: context.page.language, reference: reference)
    }

    /// The buyer's requests and contracts, newest first (staff: everyone's).
    private func home(_ identity: Identity, _ context: AppRequestContext) async throws -> Response {
        let words = try await words(context)
        let own = identity.role == .community || identity.role == .municipality ? identity.organizationID : nil
        let listed = try await actions.listRequests(organizationID: own, after: nil, limit: 20)
        let signed = try await actions.listContracts(after: nil, limit: 20, by: identity)
        let view = HomeView(
            buyer: own != nil, staff: Policy.decide(identity, .readReports) == .allowed,
            requests: listed.items.map { RequestLine($0, words) }, contracts: signed.items.map { ContractLine($0, words) })
        return try kit.render(.home, view, context: context)
    }

    // MARK: posting a request

    /// The form, with what was typed and, after a refusal, the errors next to their fields.
    /// The district is found without JavaScript: the "find" button posts the form back with
    /// the places whose names match what was typed, to pick one.
    private func requestForm(
        _ context: AppRequestContext, typed form: FormFields, errors: [String: String] = [:], editing: UUID? = nil
    ) async throws -> Response {
        let words = try await words(context)
        var districts: [DistrictChoice] = []
        if let place = form["place"] {
            districts = try await DistrictPicker.matches(place, chosen: form["district"], search: actions.searchDistricts)
        } else if let ubigeo = form["district"].flatMap(Ubigeo.init), let district = reference.district(ubigeo) {
            districts = [DistrictPicker.choice(district, chosen: true)]
        }
        let view = RequestFormView(
            action: editing.map { "/requests/\($0.page)/edit" } ?? "/new-request",
            heading: words(editing == nil ? "request_form.title" : "request_form.edit_title"),
            submit: words(editing == nil ? "request_form.submit" : "request_form.save"), typed: form.typed, errors: errors,
            skills: words.skillChoices(Set(form.all("skill"))),
            spoken: words.languageChoices(Set(form.all("language"))), districts: districts,
            genders: [Gender.female, .male].map {
                Choice(code: $0.rawValue, name: words("gender.\($0.rawValue)"), checked: form["gender"] == $0.rawValue)
            },
            livesIn: form["live_in"] != nil)
        return try kit.render(.requestForm, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The signed-in buyer (a community's or a municipality's user), who posts for its own
    /// organisation; staff post for others through the API, where they name the organisation.
    private func buyer(_ context: AppRequestContext) throws -> Identity {
        let identity = try context.signedIn()
        guard identity.role == .community || identity.role == .municipality, let organization = identity.organizationID else {
            throw Problem(.forbidden, detail: "Only a community or a municipality posts requests on these pages.")
        }
        try context.require(.createServiceRequest(organizationID: organization))
        return identity
    }

    private func postRequest(_ context: AppRequestContext) async throws -> Response {
        let identity = try buyer(context)
        let form = context.page.form
        if form["action"] == "find" { return try await requestForm(context, typed: form) }
        let (input, problems) = Self.input(form)
        do {
            let codes = reference.codes
            let draft = try PageForms.checked(adding: problems) { try input.checked(against: codes) }
            let posted = try await actions.postServiceRequest(draft, by: identity)
            return seeOther("/requests/\(posted.id.page)", done: "request_posted")
        } catch {
            return try await refusedForm(error, context)
        }
    }

    /// The buyer's changes to an open request, through the same action and checks as
    /// `PATCH /v1/requests/{id}`; what the form does not show (full-time) stays as it was.
    private func editRequest(_ id: UUID, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = context.page.form
        if form["action"] == "find" { return try await requestForm(context, typed: form, editing: id) }
        let (input, problems) = Self.input(form)
        do {
            let codes = reference.codes
            _ = try await actions.editServiceRequest(id, by: identity) { current in
                var changed = input
                changed.exclusive = current.exclusive
                return try PageForms.checked(adding: problems) { try changed.checked(against: codes) }
            }
            return seeOther("/requests/\(id.page)", done: "request_edited")
        } catch {
            return try await refusedForm(error, context, editing: id)
        }
    }

    /// The request as the form sent it, with what the form itself cannot read (an amount, a count).
    static func input(_ form: FormFields) -> (NewServiceRequest, [FieldError]) {
        let budget = PageForms.cents(form["budget"])
        var problems: [FieldError] = []
        if budget == nil { problems.append(FieldError(field: "budget", message: "soles")) }
        if form["families"] != nil, PageForms.whole(form["families"]) == nil {
            problems.append(FieldError(field: "families", message: "a number"))
        }
        let input = NewServiceRequest(
            title: form["title"] ?? "", description: form["description"], skills: form.all("skill"), languages: form.all("language"),
            ubigeo: form["district"] ?? "", startsOn: form["starts_on"] ?? "", endsOn: form["ends_on"] ?? "", budgetCents: budget ?? 0,
            mustLiveInCommunity: form["live_in"] != nil, preferredGender: form["gender"],
            families: form["families"].flatMap(PageForms.whole))
        return (input, problems)
    }

    /// A request as the form shows it to be changed.
    static func typed(_ request: ServiceRequest) -> FormFields {
        var pairs: [(name: String, value: String)] = [
            ("title", request.title), ("description", request.description), ("district", request.ubigeo),
            ("starts_on", request.startsOn), ("ends_on", request.endsOn), ("budget", Money.typed(request.budgetCents)),
            ("families", request.families.map(String.init) ?? ""), ("gender", request.preferredGender?.rawValue ?? ""),
        ]
        pairs += request.skills.map { ("skill", $0) } + request.languages.map { ("language", $0) }
        if request.mustLiveInCommunity { pairs.append(("live_in", "yes")) }
        return FormFields(pairs: pairs)
    }

    /// The form again with its errors beside the fields, or the error as a page.
    private func refusedForm(_ error: any Error, _ context: AppRequestContext, editing: UUID? = nil) async throws -> Response {
        guard let errors = PageForms.fieldErrors(of: error) else { throw error }
        let fields = ["budget_cents": "budget", "ubigeo": "district", "skills": "skill", "languages": "language"]
        return try await requestForm(
            context, typed: context.page.form,
            errors: PageForms.messages(errors, fields: fields, kit: kit, language: context.page.language),
            editing: editing)
    }

    // MARK: the request, its shortlist and applications

    /// The buyer's view: the request, the applications with the steps each can take, and the
    /// shortlist with its reasons. A technician sees the open request and applies from it.
    /// After a refused step, `failed` is its application, shown with `errors` beside its
    /// fields, what was `typed` kept, and its form open.
    func requestPage(
        _ found: ServiceRequest, _ context: AppRequestContext, errors: [String: String] = [:], failed: UUID? = nil, typed: FormFields? = nil
    ) async throws -> Response {
        let identity = try context.signedIn()
        if identity.role == .provider, let provider = identity.providerID {
            return try await technician.requestPage(found, provider: provider, context)
        }
        try context.require(.manageServiceRequest(organizationID: found.organizationID))
        let words = try await words(context)
        let applied = try await actions.listApplications.withApplicants(of: found, by: identity)
        var view = RequestView(found, words)
        view.canEnd = found.status.canBeMoved(to: .closed)
        view.canEdit = found.status == .open
        view.typedReason = failed == nil ? typed?["reason"] ?? "" : ""
        view.errors = errors  // for the summary at the top; each shows beside its application's form
        view.applications = applied.map { application, applicant in
            var line = ApplicationLine(
                application, name: applicant?.fullName ?? "", gender: applicant?.gender, open: found.status == .open, words)
            // The page's errors belong to the failed one, shown with what was typed and its form open.
            if application.id == failed {
                line.errors = errors
                line.typed = typed?.typed ?? [:]
                line.openInterview = errors["interview"] != nil
                line.openReject = errors["reason"] != nil
            }
            return line
        }
        // Its contracts, cancelled ones too: the request's history stays reachable from it.
        view.contracts = try await actions.listContracts(ContractFilter(requestID: found.id), after: nil, limit: 20, by: identity)
            .items.map { ContractLine($0, words) }
        if found.status == .open {
            let taken = Set(applied.map(\.application.providerID))
            view.shortlist = try await actions.shortlist(of: found, limit: Self.shortlistLength, by: identity).map { match in
                var card = words.card(match.provider)
                // The card's rating, from the figures the rating's reason carries.
                if let rated = match.reasons.first(where: { $0.code == "rating_average" }), let average = rated.params["average"],
                    let count = rated.params["count"]
                {
                    card.rating = words("card.rating", ["average": average, "count": count])
                }
                card.score = match.score.fixed(0)
                card.distance = words("card.distance", ["km": match.distanceKm.fixed(0)])
                card.reasons = match.reasons.map { .init(text: words.reason($0), points: $0.points.fixed(1)) }
                card.invited = taken.contains(match.provider.id)
                return card
            }
        }
        return try kit.render(.request, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// A step of an application: the buyer's interview, selection or rejection, or the
    /// technician's withdrawal; the same checks as `PATCH /v1/applications/{id}`.
    private func changeApplication(_ id: UUID, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = context.page.form
        let status = form["status"] ?? ""
        let interview =
            status == JobApplicationStatus.interviewed.rawValue
            ? Interview(heldOn: form["held_on"] ?? "", panel: form["panel"] ?? "", notes: form["notes"] ?? "") : nil
        do {
            let change = try JobApplicationChange(status: status, interview: interview, reason: form["reason"]).checked(
                against: reference.codes)
            if !Confirmation.given(form), let asking = try await confirmation(of: change, application: id, by: identity, context) {
                return try asking.render(kit, context)
            }
            let changed = try await actions.changeApplication(id, change, by: identity)
            return seeOther(
                (identity.role == .provider ? "/opportunities" : "/requests/\(changed.requestID.page)") + "#applications",
                done: "application_\(changed.status.rawValue)")
        } catch {
            guard identity.role != .provider, let errors = PageForms.fieldErrors(of: error) else { throw error }
            let (application, _) = try await actions.readApplication(id, by: identity)
            let found = try await actions.readRequest(application.requestID)
            let fields = ["interview": "interview", "status": "form"]
            let messages = PageForms.messages(errors, fields: fields, kit: kit, language: context.page.language)
            return try await requestPage(found, context, errors: messages, failed: id, typed: form)
        }
    }

    // MARK: the call on the local radio

    /// The announcement to read aloud, in Spanish and in Quechua whatever the page's language:
    /// a radio station in the highlands reads both.
    private func radio(_ found: ServiceRequest, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        guard
            Policy.decide(context.identity, .manageServiceRequest(organizationID: found.organizationID)) == .allowed
                || context.identity?.role == .provider
        else { throw Problem(.forbidden, detail: "Only the buyer reads its request's announcement.") }
        let buyer = try await actions.readRequest.buyerName(of: found)
        let place = Ubigeo(found.ubigeo).flatMap { reference.district($0) }
        let announcements = [PageLanguage.es, .qu].map { language in
            let words = PageWords(kit: kit, language: language, reference: reference)
            let values = [
                "buyer": buyer, "title": found.title, "skills": found.skills.map(words.skill).joined(separator: ", "),
                "languages": found.languages.map(words.languageName).joined(separator: ", "),
                "place": place.map { "\($0.district) (\($0.province), \($0.department))" } ?? found.ubigeo,
                "from": words.date(found.startsOn), "to": words.date(found.endsOn), "pay": words.money(found.budgetCents),
            ]
            return RadioView.Announcement(
                language: PageKit.names[language] ?? "", code: language.rawValue, text: words("radio.text", values))
        }
        return try kit.render(.radio, RadioView(id: found.id.page, announcements: announcements), context: context)
    }
}

/// The district picker of the forms: the places whose names match what was typed.
enum DistrictPicker {
    static func matches(_ text: String, chosen: String?, search: SearchDistricts) async throws -> [DistrictChoice] {
        try await search(search: text, department: nil, after: nil, limit: 25).items.map {
            choice($0, chosen: $0.ubigeo == chosen)
        }
    }

    static func choice(_ district: District, chosen: Bool) -> DistrictChoice {
        DistrictChoice(ubigeo: district.ubigeo, name: "\(district.district), \(district.province), \(district.department)", checked: chosen)
    }
}
