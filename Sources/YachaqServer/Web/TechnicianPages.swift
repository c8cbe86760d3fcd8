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
    let ratings: RatingStore
    let reviews: ReviewStore
    let reference: ReferenceData
    let districtSearch: ReferenceStore

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
        var values: [String: Any] = ["provider": words.card(provider, rating: try await actions.providerRatings(of: provider))]
        let listed = try await actions.listContracts(after: nil, limit: 50, by: identity)
        values["contracts"] = listed.items.map { contract -> [String: Any] in
            [
                "id": contract.id.page, "title": contract.title, "status": words("status.contract.\(contract.status.rawValue)"),
                "amount": words.money(contract.amountCents), "paid": words.money(contract.paidCents),
                "dates": words.dates(contract.startsOn, contract.endsOn),
            ]
        }
        let found = try await ratings.find(contractIDs: listed.items.map(\.id))
        values["ratings"] = listed.items.compactMap { contract -> [String: Any]? in
            guard let rating = found[contract.id] else { return nil }
            return [
                "title": contract.title, "technical": rating.technical, "communication": rating.communication,
                "punctuality": rating.punctuality, "results": rating.results,
            ].merging(rating.comment.map { ["comment": $0] } ?? [:]) { $1 }
        }
        values["reviews"] = try await actions.listReviews(id, by: identity).map { review -> [String: Any] in
            var entry: [String: Any] = [
                "id": review.id.page, "from": words.date(review.periodFrom), "to": words.date(review.periodTo), "summary": review.summary,
                "decision": words("decision.\(review.decision.rawValue)"),
            ]
            if let reason = review.reason { entry["reason"] = reason }
            if let training = review.training { entry["training"] = training }
            if let answer = review.answer { entry["answer"] = answer } else { entry["can_answer"] = true }
            if review.id == failed { entry["errors"] = errors }
            return entry
        }
        let tree = try await actions.providerLineage(of: provider, by: identity)
        values["trainers"] = tree.trainers.filter { $0.depth == 1 }.map { ["name": $0.provider.fullName, "skill": words.skill($0.skill)] }
        values["trainees"] = tree.trainees.filter { $0.depth == 1 }.map { ["name": $0.provider.fullName, "skill": words.skill($0.skill)] }
        return try kit.render("technician-home", values, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// Open requests within the technician's travel radius of home, newest first.
    private func opportunities(_ context: AppRequestContext) async throws -> Response {
        let (id, _) = try own(context)
        let provider = try await profile(id, context)
        let words = try await words(context)
        let home = Ubigeo(provider.homeUbigeo).flatMap { reference.district($0) }
        let listed = try await actions.listRequests(
            status: .open, near: home.map { ($0.latitude, $0.longitude) }, radiusKm: Double(provider.travelRadiusKm), after: nil, limit: 30)
        let open = listed.items.map { request -> [String: Any] in
            [
                "id": request.id.page, "title": request.title, "budget": words.money(request.budgetCents),
                "dates": words.dates(request.startsOn, request.endsOn),
                "skills": request.skills.map(words.skill).joined(separator: ", "),
            ]
        }
        return try kit.render("opportunities", ["requests": open, "radius": provider.travelRadiusKm], context: context)
    }

    /// An open request as the technician sees it, with their application to it, if any.
    func requestPage(_ found: ServiceRequest, provider: UUID, _ context: AppRequestContext) async throws -> Response {
        let words = try await words(context)
        let mine = try await actions.ownApplication(found.id, by: try context.signedIn())
        guard found.status == .open || mine != nil else { throw Problem(.forbidden, detail: "This request is not open.") }
        var values: [String: Any] = [
            "id": found.id.page, "title": found.title,
            "skills": found.skills.map(words.skill).joined(separator: ", "),
            "languages": found.languages.map(words.languageName).joined(separator: ", "),
            "dates": words.dates(found.startsOn, found.endsOn), "budget": words.money(found.budgetCents),
            "open": found.status == .open,
        ]
        if !found.description.isEmpty { values["description"] = found.description }
        if let place = Ubigeo(found.ubigeo).flatMap({ reference.district($0) }) {
            values["place"] = "\(place.district), \(place.province), \(place.department)"
        }
        if let mine {
            values["application"] = [
                "id": mine.id.page, "status": words("status.application.\(mine.status.rawValue)"),
                "can_withdraw": mine.status.canMove(to: .withdrawn),
            ]
        }
        return try kit.render("technician-request", values, context: context)
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
        let districts: [[String: Any]] =
            if let place = typed?["place"] {
                try await DistrictPicker.matches(place, chosen: home, search: districtSearch)
            } else {
                Ubigeo(home).flatMap { reference.district($0) }.map { [DistrictPicker.choice($0, chosen: true)] } ?? []
            }
        let levels = (0...4).map { ["level": $0, "name": words("level.\($0)")] }
        let spoken = provider.languages + [ProviderLanguage(code: "", speaking: 0, understanding: 0, reading: 0, writing: 0)]
        let choices = words.languageChoices([])
        let languages = spoken.enumerated().map { index, language -> [String: Any] in
            [
                "index": index, "name": language.code.isEmpty ? "" : words.languageName(language.code),
                "choices": choices.map { $0.merging(["checked": ($0["code"] as? String) == language.code]) { $1 } },
                "levels": ["speaking", "understanding", "reading", "writing"].map { skill -> [String: Any] in
                    let current =
                        [
                            "speaking": language.speaking, "understanding": language.understanding, "reading": language.reading,
                            "writing": language.writing,
                        ][skill] ?? 0
                    return [
                        "field": skill, "label": words("profile.\(skill)"),
                        "options": levels.map { $0.merging(["checked": ($0["level"] as? Int) == current]) { $1 } },
                    ]
                },
            ]
        }
        let skillChoices = words.skillChoices([])
        let known = provider.skills + [ProviderSkill(code: "", level: 0, years: 0)]
        let skills = known.enumerated().map { index, skill -> [String: Any] in
            [
                "index": index, "years": skill.years,
                "choices": skillChoices.map { $0.merging(["checked": ($0["code"] as? String) == skill.code]) { $1 } },
                "levels": levels.map { $0.merging(["checked": ($0["level"] as? Int) == skill.level]) { $1 } },
            ]
        }
        let values: [String: Any] = [
            "typed": form, "lives_in": lives, "languages": languages, "skills": skills, "errors": errors, "districts": districts,
            "id": provider.id.page,
        ]
        return try kit.render("profile-form", values, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
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
