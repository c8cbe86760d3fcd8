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
            let view = NeedsLookView(
                providers: page.items.map { flagged in
                    .init(
                        id: flagged.providerID.page, name: flagged.fullName, status: words("status.provider.\(flagged.status.rawValue)"),
                        flags: flagged.reasons.map { .init(why: words("look.\($0.code.rawValue)"), detail: $0.detail) })
                }, next: page.nextCursor.map { "/staff/needs-look?cursor=\($0)" })
            return try kit.render(.staffNeedsLook, view, context: context)
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
        var query = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\($0.key)=\($0.value)" }
        query.append(contentsOf: hits.nextCursor.map { ["cursor=\($0)"] } ?? [])
        func choices(_ list: [(code: String, name: String)], _ chosen: String?) -> [Choice] {
            list.map { Choice(code: $0.code, name: $0.name, checked: $0.code == chosen) }
        }
        let view = DirectoryView(
            providers: hits.items.map { hit in
                let provider = hit.provider
                return .init(
                    id: provider.id.page, name: provider.fullName, kind: words("kind.\(provider.kind.rawValue)"),
                    place: Ubigeo(provider.homeUbigeo).flatMap(reference.district).map { "\($0.district), \($0.province)" }
                        ?? provider.homeUbigeo,
                    status: words("status.provider.\(provider.status.rawValue)"),
                    languages: provider.languages.map { "\(words.languageName($0.code)) \($0.speaking)/4" }.joined(separator: ", "),
                    certified: provider.certifications.contains { !$0.expired })
            },
            next: hits.nextCursor.map { _ in "/staff/providers?" + query.joined(separator: "&") },
            departments: choices(atlas.departments, department?.code),
            provinces: department.map { chosen in choices(atlas.provinces.filter { $0.code.hasPrefix(chosen.code) }, province?.code) }
                ?? [],
            districts: province.map { chosen in
                choices(atlas.districts.filter { $0.ubigeo.hasPrefix(chosen.code) }.map { ($0.ubigeo, $0.district) }, district?.ubigeo)
            } ?? [],
            kinds: choices(ProviderKind.allCases.map { ($0.rawValue, words("kind.\($0.rawValue)")) }, search.kind?.rawValue),
            genders: choices(Gender.allCases.map { ($0.rawValue, words("gender.\($0.rawValue)")) }, search.gender?.rawValue),
            statuses: choices((ProviderStatus.allCases.map(\.rawValue) + ["any"]).map { ($0, words("status.provider.\($0)")) }, status),
            skills: words.reference.skills.sorted { $0.code < $1.code }.map {
                Choice(code: $0.code, name: ($0.parent == nil ? "" : "— ") + words.skill($0.code), checked: $0.code == search.skill)
            },
            spoken: words.languageChoices(Set([search.language].compactMap { $0 })),
            levels: (0...4).map { LevelChoice(level: $0, name: words("level.\($0)"), checked: $0 == search.minSpeaking) },
            certified: choices([("yes", words("form.yes")), ("no", words("form.no"))], request.pageQuery("certified")),
            newest: search.newestFirst, count: hits.items.count)
        return try kit.render(.staffDirectory, view, context: context)
    }

    // MARK: the scorecard

    private func scorecard(_ id: UUID, _ context: AppRequestContext, errors: [String: String] = [:], typed: FormFields? = nil)
        async throws -> Response
    {
        let identity = try context.signedIn()
        let card = try await actions.readScorecard(id, by: identity)
        let provider = try await actions.readProvider(id, by: identity)
        let words = try await words(context)
        let signed = try await actions.listContracts(ContractFilter(providerID: id), after: nil, limit: 50, by: identity).items
        let titles = Dictionary(signed.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let paid = try await actions.contractPayments(of: signed, by: identity)
        let tree = try await actions.providerLineage(of: provider, by: identity)
        func branch(_ edges: [LineageEdge]) -> [LineageLine] {
            edges.sorted { ($0.depth, $0.provider.fullName) < ($1.depth, $1.provider.fullName) }.map { LineageLine($0, words) }
        }
        let decisions = ReviewDecision.allCases.filter { Policy.decide(context.identity, .reviewProvider($0)) == .allowed }
        let view = ScorecardView(
            id: id.page, provider: words.card(provider, rating: card.ratings), errors: errors, typed: typed?.typed ?? [:],
            figures: ScorecardFigures.rows(card, words), charts: ScorecardFigures.charts(card, words),
            contracts: signed.map { ContractLine($0, words) },
            payments: paid.map { payment in
                .init(
                    on: words.shortDate(payment.paidOn), contract: titles[payment.contractID] ?? "",
                    amount: words.money(payment.amountCents),
                    line: words("funding.\(payment.fundingKind.rawValue)"))
            },
            trainers: branch(tree.trainers), trainees: branch(tree.trainees),
            reviews: try await actions.listReviews(id, by: identity).map { ReviewLine($0, words) },
            decisions: decisions.map {
                Choice(code: $0.rawValue, name: words("decision.\($0.rawValue)"), checked: typed?["decision"] == $0.rawValue)
            })
        return try kit.render(.staffScorecard, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
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
    static func rows(_ card: ProviderScorecard, _ words: PageWords) -> [Figure] {
        func share(_ value: Double?) -> String { value.map { ($0 * 100).fixed(0) + "%" } ?? "—" }
        let counts = card.contracts
        let contracts = [
            ("signed", counts.signed), ("active", counts.active), ("completed", counts.completed),
            ("terminated", counts.terminated), ("cancelled", counts.cancelled),
        ]
        .map { "\(words("status.contract.\($0.0)")) \($0.1)" }.joined(separator: " · ")
        let ratings = words(
            "scorecard.ratings_value",
            [
                "count": "\(card.ratings.count)", "average": card.ratings.average.map { $0.fixed(2) } ?? "—",
                "score": card.ratings.score.fixed(2),
            ])
        return [
            ("contracts", contracts), ("completion", share(card.completionRate)), ("ratings", ratings),
            ("buyers", "\(card.buyers) · \(words("scorecard.repeat")) \(share(card.repeatHireRate))"),
            ("money", "\(words.money(card.amountContractedCents)) / \(words.money(card.amountPaidCents))"),
            ("days", "\(card.daysWorked)"), ("families", "\(card.familiesServed)"),
            ("trainees", "\(card.trainees) · \(words("scorecard.cascade")) \(card.traineesInCascade)"),
            ("districts", card.districtsServed.map { "\($0.district) (\($0.contracts))" }.joined(separator: ", ")),
        ].map { Figure(name: words("scorecard.\($0.0)"), value: $0.1) }
    }

    static func charts(_ card: ProviderScorecard, _ words: PageWords) -> [ChartView] {
        let dimensions: [(String, Double?)] = [
            ("technical", card.ratings.dimensions.technical), ("communication", card.ratings.dimensions.communication),
            ("punctuality", card.ratings.dimensions.punctuality), ("results", card.ratings.dimensions.results),
        ]
        let bars = dimensions.map { key, value in
            SVGChart.Bar(label: words("rating.\(key)"), value: value ?? 0, text: value.map { $0.fixed(2) } ?? "—")
        }
        let byYear = card.ratingsByYear.map {
            SVGChart.Point(label: "\($0.year)", value: $0.average, text: "\($0.average.fixed(2)) (\($0.count))")
        }
        let years = byYear.map { "\($0.label): \($0.text)" }.joined(separator: "; ")
        // Nobody rated them yet: a sentence says so, not two empty drawings.
        guard card.ratings.count > 0 else { return [] }
        let (dimensionsTitle, yearsTitle) = (words("scorecard.chart_dimensions"), words("scorecard.chart_years"))
        return [
            ChartView(title: dimensionsTitle, svg: SVGChart.bars(id: "dimensions", title: dimensionsTitle, bars)),
            ChartView(
                title: yearsTitle,
                svg: SVGChart.line(
                    id: "years", title: yearsTitle, summary: years.isEmpty ? words("scorecard.no_ratings") : years, byYear, maximum: 5)),
        ]
    }
}
