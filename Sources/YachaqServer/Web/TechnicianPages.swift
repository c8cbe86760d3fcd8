import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// The technician's pages: their profile and its editing, open requests near them with
/// apply and withdraw, their contracts, payments and ratings, and staff's reviews with a
/// form to answer each.
struct TechnicianPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/opportunities") { _, context in
            try await opportunities(context)
        }
        pages.post("/requests/{id}/apply") { _, context in
            let (provider, identity) = try own(context)
            let id = try context.parameters.requireID("id")
            let draft = try NewJobApplication(providerID: provider, note: context.page.form["note"]).checked(against: reference.codes)
            _ = try await actions.applyToRequest(id, draft, by: identity)
            return seeOther("/requests/\(id.page)", done: "applied")
        }
        pages.post("/applications/{id}/answer") { _, context in
            try await answerInvitation(try context.parameters.requireID("id"), context)
        }
        pages.post("/reviews/{id}/answer") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            do {
                let text = try ReviewAnswer(text: context.page.form["text"] ?? "").checked(against: reference.codes)
                _ = try await actions.answerReview(id, text, by: identity)
                return seeOther("/home#reviews", done: "answered")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                return try await home(
                    context, errors: PageForms.messages(errors, fields: ["text": "answer"], kit: kit, language: context.page.language),
                    review: id)
            }
        }
        pages.get("/profile/edit") { _, context in
            try await profileForm(context, provider: try await profile(try own(context).id, context), typed: nil)
        }
        pages.post("/profile/edit") { _, context in
            try await saveProfile(context)
        }
    }

    /// The technician accepts an invitation, or declines it after a confirmation (declining
    /// withdraws the application and cannot be undone).
    private func answerInvitation(_ id: UUID, _ context: AppRequestContext) async throws -> Response {
        // The action decides who may answer: to anyone but the invited technician it is not found.
        let identity = try context.signedIn()
        let form = context.page.form
        guard let answer = InvitationAnswer(rawValue: form["answer"] ?? "") else {
            throw Problem.validation(field: "answer", "must be accepted or declined")
        }
        if answer == .declined, !Confirmation.given(form) {
            let words = try await words(context)
            // Back to the request the form came from (its id sent along), else the technician's home.
            let back = form["request"].flatMap { UUID(uuidString: $0) }.map { "/requests/\($0.page)" } ?? "/home"
            return try Confirmation(
                heading: words("technician.decline_heading"), effect: words("technician.decline_effect"), facts: [], warning: nil,
                action: "/applications/\(id.page)/answer", fields: [("answer", answer.rawValue), ("request", form["request"] ?? "")],
                yes: words("technician.decline"),
                back: back, ends: true
            ).render(kit, context)
        }
        let application = try await actions.answerInvitation(id, answer, by: identity)
        return seeOther("/requests/\(application.requestID.page)", done: "invitation_\(answer.rawValue)")
    }

    /// The signed-in technician's profile id, or 403 for anyone else.
    private func own(_ context: AppRequestContext) throws -> (id: UUID, identity: Identity) {
        let identity = try context.signedIn()
        guard let provider = identity.providerID else { throw Problem(.forbidden, detail: "Only a technician has these pages.") }
        try context.require(.actAsProvider(provider))
        return (provider, identity)
    }

    private func profile(_ id: UUID, _ context: AppRequestContext) async throws -> Provider {
        try await actions.readProvider(id, by: try context.signedIn())
    }

    private func words(_ context: AppRequestContext) async throws -> PageWords {
        PageWords(kit: kit, language: context.page.language, reference: reference)
    }

    /// The technician's home: the profile, contracts with what was paid, ratings, reviews.
    func home(_ context: AppRequestContext, errors: [String: String] = [:], review failed: UUID? = nil) async throws -> Response {
        let (id, identity) = try own(context)
        let provider = try await profile(id, context)
        let words = try await words(context)
        let listed = try await actions.listContracts(after: nil, limit: 50, by: identity)
        let found = try await actions.contractRating(of: listed.items, by: identity)
        let tree = try await actions.providerLineage(of: provider, by: identity)
        let view = TechnicianHomeView(
            provider: words.card(provider, rating: try await actions.providerRatings(of: provider)),
            contracts: listed.items.map { ContractLine($0, words) },
            ratings: listed.items.compactMap { contract in found[contract.id].map { RatingLine($0, title: contract.title) } },
            reviews: try await actions.listReviews(id, by: identity).map { review in
                var line = ReviewLine(review, words)
                line.canAnswer = review.answer == nil
                if review.id == failed { line.errors = errors }
                return line
            },
            trainers: tree.trainers.filter { $0.depth == 1 }.map { LineageLine($0, words) },
            trainees: tree.trainees.filter { $0.depth == 1 }.map { LineageLine($0, words) })
        return try kit.render(.technicianHome, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// Open requests within the technician's travel radius of home, newest first.
    private func opportunities(_ context: AppRequestContext) async throws -> Response {
        let (id, _) = try own(context)
        let provider = try await profile(id, context)
        let words = try await words(context)
        let home = Ubigeo(provider.homeUbigeo).flatMap { reference.district($0) }
        let listed = try await actions.listRequests(
            status: .open, near: home.map { ($0.latitude, $0.longitude) }, radiusKm: Double(provider.travelRadiusKm), after: nil, limit: 30)
        let view = OpportunitiesView(
            requests: listed.items.map { RequestLine($0, words) }, radius: provider.travelRadiusKm)
        return try kit.render(.opportunities, view, context: context)
    }

    /// An open request as the technician sees it, with their application to it, if any.
    func requestPage(_ found: ServiceRequest, provider: UUID, _ context: AppRequestContext) async throws -> Response {
        let words = try await words(context)
        let mine = try await actions.ownApplication(found.id, by: try context.signedIn())
        guard found.status == .open || mine != nil else { throw Problem(.forbidden, detail: "This request is not open.") }
        var view = RequestView(found, words)
        view.application = mine.map { application in
            var own = RequestView.OwnApplication(
                id: application.id.page, status: words("status.application.\(application.status.rawValue)"),
                canWithdraw: application.status.canMove(to: .withdrawn) && !application.isOpenInvitation)
            own.canAnswer = application.isOpenInvitation
            own.answer = application.invitationAnswer.map { words("technician.invitation_\($0.rawValue)") }
            return own
        }
        return try kit.render(.technicianRequest, view, context: context)
    }

    // MARK: editing the profile

    /// The form: the profile's fields, each language with its levels and each skill with its
    /// level and years, plus an empty row to add one of each.
    private func profileForm(_ context: AppRequestContext, provider: Provider, typed: FormFields?, errors: [String: String] = [:])
        async throws -> Response
    {
        let words = try await words(context)
        var form = typed?.typed ?? [:]
        form["full_name"] = form["full_name"] ?? provider.fullName
        form["bio"] = form["bio"] ?? provider.bio ?? ""
        form["phone"] = form["phone"] ?? provider.phone ?? ""
        form["rate"] = form["rate"] ?? Money.typed(provider.dailyRateCents)
        form["radius"] = form["radius"] ?? "\(provider.travelRadiusKm)"
        let lives = typed.map { $0["live_in"] != nil } ?? provider.willLiveInCommunity
        // Where they live: found by typing part of a name (no JavaScript), else the one on record.
        let home = typed?["district"] ?? provider.homeUbigeo
        let districts =
            if let place = typed?["place"] {
                try await DistrictPicker.matches(place, chosen: home, search: actions.searchDistricts)
            } else {
                Ubigeo(home).flatMap { reference.district($0) }.map { [DistrictPicker.choice($0, chosen: true)] } ?? []
            }
        func levels(checked: Int) -> [LevelChoice] {
            (0...4).map { LevelChoice(level: $0, name: words("level.\($0)"), checked: $0 == checked) }
        }
        let spoken = provider.languages + [ProviderLanguage(code: "", speaking: 0, understanding: 0, reading: 0, writing: 0)]
        let languageChoices = words.languageChoices([])
        let languages = spoken.enumerated().map { index, language in
            let current = [
                "speaking": language.speaking, "understanding": language.understanding, "reading": language.reading,
                "writing": language.writing,
            ]
            return ProfileFormView.LanguageRow(
                index: index, choices: languageChoices.map { Choice(code: $0.code, name: $0.name, checked: $0.code == language.code) },
                levels: ["speaking", "understanding", "reading", "writing"].map { skill in
                    .init(field: skill, label: words("profile.\(skill)"), options: levels(checked: current[skill] ?? 0))
                })
        }
        let skillChoices = words.skillChoices([])
        let known = provider.skills + [ProviderSkill(code: "", level: 0, years: 0)]
        let skills = known.enumerated().map { index, skill in
            ProfileFormView.SkillRow(
                index: index, years: skill.years,
                choices: skillChoices.map { Choice(code: $0.code, name: $0.name, checked: $0.code == skill.code) },
                levels: levels(checked: skill.level))
        }
        let view = ProfileFormView(
            typed: form, errors: errors, livesIn: lives, districts: districts, languages: languages, skills: skills)
        return try kit.render(.profileForm, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The profile with the form's fields, through the same update and checks as PATCH.
    private func saveProfile(_ context: AppRequestContext) async throws -> Response {
        let (id, identity) = try own(context)
        let form = context.page.form
        var problems: [FieldError] = []
        let rate = PageForms.cents(form["rate"]), radius = PageForms.whole(form["radius"])
        if rate == nil { problems.append(FieldError(field: "rate", message: "soles")) }
        if radius == nil { problems.append(FieldError(field: "radius", message: "km")) }
        let languages = (0..<12).compactMap { index -> ProviderLanguage? in
            guard let code = form["language_\(index)"] else { return nil }
            func level(_ name: String) -> Int { form["\(name)_\(index)"].flatMap(PageForms.whole) ?? 0 }
            return ProviderLanguage(
                code: code, speaking: level("speaking"), understanding: level("understanding"), reading: level("reading"),
                writing: level("writing"))
        }
        let skills = (0..<30).compactMap { index -> ProviderSkill? in
            guard let code = form["skill_\(index)"] else { return nil }
            return ProviderSkill(
                code: code, level: form["skill_level_\(index)"].flatMap(PageForms.whole) ?? 0,
                years: form["years_\(index)"].flatMap(PageForms.whole) ?? 0)
        }
        let codes = reference.codes
        let formProblems = problems
        if form["action"] == "find" {
            var shown = try await profile(id, context)
            shown.languages = languages
            shown.skills = skills
            return try await profileForm(context, provider: shown, typed: form)
        }
        do {
            _ = try await actions.updateProvider(id, by: identity) { current in
                var input = current
                input.fullName = form["full_name"] ?? ""
                input.bio = form["bio"]
                input.phone = form["phone"]
                input.dailyRateCents = rate ?? current.dailyRateCents
                input.travelRadiusKm = radius ?? current.travelRadiusKm
                input.willLiveInCommunity = form["live_in"] != nil
                input.homeUbigeo = form["district"] ?? current.homeUbigeo
                input.languages = languages
                input.skills = skills
                return try PageForms.checked(adding: formProblems) { try input.checked(against: codes) }
            }
            return seeOther("/home", done: "profile_saved")
        } catch {
            guard let errors = PageForms.fieldErrors(of: error) else { throw error }
            let fields = [
                "daily_rate_cents": "rate", "travel_radius_km": "radius", "languages": "languages", "skills": "skills",
                "home_ubigeo": "district",
            ]
            let messages = PageForms.messages(errors, fields: fields, kit: kit, language: context.page.language)
            // The languages and skills as typed, new rows included: what the page says is still here.
            var shown = try await profile(id, context)
            shown.languages = languages
            shown.skills = skills
            return try await profileForm(context, provider: shown, typed: form, errors: messages)
        }
    }
}
