import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// Project staff's pages: the directory of talents, each one's scorecard with its charts and
/// reviews, and the providers the review flags. The same stores, queries and policy as the
/// API's reports (`ReportController`).
struct StaffPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData
    let atlas: DistrictAtlas
    let payments: PaymentStore

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/staff/providers") { request, context in
            try await directory(request, context)
        }
        pages.get("/staff/providers/{id}") { _, context in
            try await scorecard(try context.parameters.requireID("id"), context)
        }
        pages.post("/staff/providers/{id}/reviews") { _, context in
            try await review(try context.parameters.requireID("id"), context)
        }
        pages.get("/staff/needs-look") { request, context in
            try context.require(.readReports)
            let words = try await words(context)
            let page = try await actions.listNeedsALook(after: try request.cursor(), limit: 50, by: try context.signedIn())
            let rows = page.items.map { flagged -> [String: Any] in
                [
                    "id": flagged.providerID.page, "name": flagged.fullName, "status": words("status.provider.\(flagged.status.rawValue)"),
                    "flags": flagged.reasons.map { ["why": words("look.\($0.code.rawValue)"), "detail": $0.detail] },
                ]
            }
            var values: [String: Any] = ["providers": rows]
            if let next = page.nextCursor { values["next"] = "/staff/needs-look?cursor=\(next)" }
            return try kit.render("staff-needs-look", values, context: context)
        }
    }

    private func words(_ context: AppRequestContext) async throws -> PageWords {
        PageWords(kit: kit, language: context.page.language, reference: reference)
    }

    // MARK: the directory

    /// Every filter of `GET /v1/providers`, as a form; one `ProviderSearch`, the API's query.
    private func directory(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try context.require(.searchProviders(includeUnpublished: true))
        let words = try await words(context)
        var search = ProviderSearch()
        search.includeUnpublished = true
        search.limit = 50
        search.cursor = request.pageQuery("cursor")
        let chosen = atlas.place(
            department: request.pageQuery("department"), province: request.pageQuery("province"), district: request.pageQuery("place"))
        let (department, province, district) = (chosen.department, chosen.province, chosen.district)
        search.place = chosen.code
        search.kind = request.pageQuery("kind").flatMap(ProviderKind.init(rawValue:))
        search.gender = request.pageQuery("gender").flatMap(Gender.init(rawValue:))
        search.skill = request.pageQuery("skill").flatMap { words.reference.skill($0) == nil ? nil : $0 }
        search.language = request.pageQuery("language").flatMap { words.reference.language($0) == nil ? nil : $0 }
        search.minSpeaking = request.pageQuery("level").flatMap { Int($0) }.map { min(max($0, 0), 4) } ?? 0
        search.certified = request.pageQuery("certified").flatMap { ["yes": true, "no": false][$0] }
        let status = request.pageQuery("status") ?? "active"
        search.status = status == "any" ? nil : ProviderStatus(rawValue: status) ?? .active
        search.newestFirst = request.pageQuery("sort") == "newest"
        let hits = try await actions.searchProviders(search, by: context.identity)
        var values: [String: Any] = [:]
        values["providers"] = hits.items.map { hit -> [String: Any] in
            let provider = hit.provider
            return [
                "id": provider.id.page, "name": provider.fullName, "kind": words("kind.\(provider.kind.rawValue)"),
                "place": Ubigeo(provider.homeUbigeo).flatMap(reference.district).map { "\($0.district), \($0.province)" }
                    ?? provider.homeUbigeo,
                "status": words("status.provider.\(provider.status.rawValue)"),
                "languages": provider.languages.map { "\(words.languageName($0.code)) \($0.speaking)/4" }.joined(separator: ", "),
                "certified": provider.certifications.contains { !$0.expired },
            ]
        }
        var query = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\($0.key)=\($0.value)" }
        if let next = hits.nextCursor {
            query.append("cursor=\(next)")
            values["next"] = "/staff/providers?" + query.joined(separator: "&")
        }
        func choices(_ list: [(code: String, name: String)], _ chosen: String?) -> [[String: Any]] {
            list.map { ["code": $0.code, "name": $0.name, "checked": $0.code == chosen] }
        }
        values["departments"] = choices(atlas.departments, department?.code)
        values["provinces"] =
            department.map { chosen in choices(atlas.provinces.filter { $0.code.hasPrefix(chosen.code) }, province?.code) }
            ?? []
        values["districts"] =
            province.map { chosen in
                choices(atlas.districts.filter { $0.ubigeo.hasPrefix(chosen.code) }.map { ($0.ubigeo, $0.district) }, district?.ubigeo)
            } ?? []
        values["kinds"] = choices(ProviderKind.allCases.map { ($0.rawValue, words("kind.\($0.rawValue)")) }, search.kind?.rawValue)
        values["genders"] = choices(Gender.allCases.map { ($0.rawValue, words("gender.\($0.rawValue)")) }, search.gender?.rawValue)
        values["statuses"] = choices(
            (ProviderStatus.allCases.map(\.rawValue) + ["any"]).map { ($0, words("status.provider.\($0)")) }, status)
        values["skills"] = words.reference.skills.sorted { $0.code < $1.code }.map {
            ["code": $0.code, "name": ($0.parent == nil ? "" : "— ") + words.skill($0.code), "checked": $0.code == search.skill]
        }
        values["spoken"] = words.languageChoices(Set([search.language].compactMap { $0 }))
        values["levels"] = (0...4).map { ["level": $0, "name": words("level.\($0)"), "checked": $0 == search.minSpeaking] }
        values["certified"] = choices([("yes", words("form.yes")), ("no", words("form.no"))], request.pageQuery("certified"))
        values["newest"] = search.newestFirst
        values["count"] = hits.items.count
        return try kit.render("staff-directory", values, context: context)
    }

    // MARK: the scorecard

    private func scorecard(_ id: UUID, _ context: AppRequestContext, errors: [String: String] = [:], typed: FormFields? = nil)
        async throws -> Response
    {
        let identity = try context.signedIn()
        let card = try await actions.readScorecard(id, by: identity)
        let provider = try await actions.readProvider(id, by: identity)
        let words = try await words(context)
        var values: [String: Any] = ["id": id.page, "provider": words.card(provider, rating: card.ratings), "errors": errors]
        values["typed"] = typed?.typed ?? [:]
        values["figures"] = ScorecardFigures.rows(card, words)
        values["charts"] = ScorecardFigures.charts(card, words)
        let signed = try await actions.listContracts(ContractFilter(providerID: id), after: nil, limit: 50, by: identity).items
        values["contracts"] = signed.map { contract -> [String: Any] in
            [
                "id": contract.id.page, "title": contract.title, "status": words("status.contract.\(contract.status.rawValue)"),
                "dates": words.dates(contract.startsOn, contract.endsOn), "amount": words.money(contract.amountCents),
                "paid": words.money(contract.paidCents),
            ]
        }
        let titles = Dictionary(signed.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        values["payments"] = try await payments.list(contractIDs: signed.filter { $0.paidCents != 0 }.map(\.id)).map { payment in
            [
                "on": words.shortDate(payment.paidOn), "contract": titles[payment.contractID] ?? "",
                "amount": words.money(payment.amountCents),
                "line": words("funding.\(payment.fundingKind.rawValue)"),
            ]
        }
        let tree = try await actions.providerLineage(of: provider, by: identity)
        func branch(_ edges: [LineageEdge]) -> [[String: Any]] {
            edges.sorted { ($0.depth, $0.provider.fullName) < ($1.depth, $1.provider.fullName) }.map {
                [
                    "id": $0.provider.id.page, "name": $0.provider.fullName, "skill": words.skill($0.skill), "depth": $0.depth,
                    "on": words.date($0.heldOn),
                ]
            }
        }
        values["trainers"] = branch(tree.trainers)
        values["trainees"] = branch(tree.trainees)
        values["reviews"] = try await actions.listReviews(id, by: identity).map { review -> [String: Any] in
            var entry: [String: Any] = [
                "from": words.date(review.periodFrom), "to": words.date(review.periodTo), "summary": review.summary,
                "decision": words("decision.\(review.decision.rawValue)"),
            ]
            if let reason = review.reason { entry["reason"] = reason }
            if let training = review.training { entry["training"] = training }
            if let answer = review.answer { entry["answer"] = answer }
            return entry
        }
        let decisions = ReviewDecision.allCases.filter { Policy.decide(context.identity, .reviewProvider($0)) == .allowed }
        values["decisions"] = decisions.map {
            ["code": $0.rawValue, "name": words("decision.\($0.rawValue)"), "checked": typed?["decision"] == $0.rawValue]
        }
        return try kit.render("staff-scorecard", values, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// Records a review as `POST /v1/providers/{id}/reviews` does: staff keep or ask for
    /// training; only admins suspend and reinstate.
    private func review(_ id: UUID, _ context: AppRequestContext) async throws -> Response {
        try context.require(.reviewProvider(.keep))
        let form = context.page.form
        do {
            let draft = try NewReview(
                periodFrom: form["period_from"] ?? "", periodTo: form["period_to"] ?? "", summary: form["summary"] ?? "",
                decision: form["decision"] ?? "", reason: form["reason"], training: form["training"]
            ).checked(against: reference.codes)
            _ = try await actions.reviewProvider(id, draft, by: try context.signedIn())
            return seeOther("/staff/providers/\(id.page)#reviews", done: "review")
        } catch {
            guard let errors = PageForms.fieldErrors(of: error) else { throw error }
            return try await scorecard(
                id, context, errors: PageForms.messages(errors, kit: kit, language: context.page.language), typed: form)
        }
    }
}

/// The scorecard's figures as a page shows them, and its two charts, from the same
/// `ProviderScorecard` the API returns (so a chart's figures are the report's).
enum ScorecardFigures {
    static func rows(_ card: ProviderScorecard, _ words: PageWords) -> [[String: Any]] {
        func share(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
        let counts = card.contracts
        let contracts = [
            ("signed", counts.signed), ("active", counts.active), ("completed", counts.completed),
            ("terminated", counts.terminated), ("cancelled", counts.cancelled),
        ]
        .map { "\(words("status.contract.\($0.0)")) \($0.1)" }.joined(separator: " · ")
        return [
            ["name": words("scorecard.contracts"), "value": contracts],
            ["name": words("scorecard.completion"), "value": share(card.completionRate)],
            [
                "name": words("scorecard.ratings"),
                "value": words(
                    "scorecard.ratings_value",
                    [
                        "count": "\(card.ratings.count)", "average": card.ratings.average.map { String(format: "%.2f", $0) } ?? "—",
                        "score": String(format: "%.2f", card.ratings.score),
                    ]),
            ],
            ["name": words("scorecard.buyers"), "value": "\(card.buyers) · \(words("scorecard.repeat")) \(share(card.repeatHireRate))"],
            [
                "name": words("scorecard.money"),
                "value": "\(words.money(card.amountContractedCents)) / \(words.money(card.amountPaidCents))",
            ],
            ["name": words("scorecard.days"), "value": "\(card.daysWorked)"],
            ["name": words("scorecard.families"), "value": "\(card.familiesServed)"],
            ["name": words("scorecard.trainees"), "value": "\(card.trainees) · \(words("scorecard.cascade")) \(card.traineesInCascade)"],
            [
                "name": words("scorecard.districts"),
                "value": card.districtsServed.map { "\($0.district) (\($0.contracts))" }.joined(separator: ", "),
            ],
        ]
    }

    static func charts(_ card: ProviderScorecard, _ words: PageWords) -> [String] {
        let dimensions: [(String, Double?)] = [
            ("technical", card.ratings.dimensions.technical), ("communication", card.ratings.dimensions.communication),
            ("punctuality", card.ratings.dimensions.punctuality), ("results", card.ratings.dimensions.results),
        ]
        let bars = dimensions.map { key, value in
            SVGChart.Bar(label: words("rating.\(key)"), value: value ?? 0, text: value.map { String(format: "%.2f", $0) } ?? "—")
        }
        let byYear = card.ratingsByYear.map {
            SVGChart.Point(label: "\($0.year)", value: $0.average, text: String(format: "%.2f (%d)", $0.average, $0.count))
        }
        let years = byYear.map { "\($0.label): \($0.text)" }.joined(separator: "; ")
        return [
            SVGChart.bars(id: "dimensions", title: words("scorecard.chart_dimensions"), bars),
            SVGChart.line(
                id: "years", title: words("scorecard.chart_years"), summary: years.isEmpty ? words("scorecard.no_ratings") : years, byYear,
                maximum: 5),
        ]
    }
}
