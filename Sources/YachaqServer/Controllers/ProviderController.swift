import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// `/v1/providers` and `/v1/trainings`: the registry of local talents.
struct ProviderController {
    let actions: Actions
    let reference: ReferenceData

    /// What PATCH may change: every field of the profile. Arrays (`languages`, `skills`)
    /// are replaced whole; `null` clears an optional field.
    static let patchableFields: Set<String> = [
        "full_name", "kind", "gender", "birth_year", "national_id", "phone", "bio", "home_ubigeo", "daily_rate_cents",
        "travel_radius_km", "will_live_in_community", "languages", "skills", "status", "consent_to_publish",
    ]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/providers") { request, context -> EditedResponse<Provider> in
            try context.require(.createProvider)  // before the body is read
            let draft = try await request.decodeDraft(ProviderInput.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.registerProvider(draft, by: try context.signedIn()))
        }
        // JSONEncoder, not JSONText: JSONText won only 8-14 % here (BENCHMARKS.md, issue 26).
        group.get("/providers") { request, context -> Page<ProviderHit> in
            try await actions.searchProviders(try searchRequest(request, context), by: context.identity)
        }
        group.get("/providers/{id}") { _, context -> WrittenJSON<Provider> in
            WrittenJSON(try await actions.readProvider(try context.parameters.requireID("id"), by: context.identity))
        }
        group.patch("/providers/{id}") { request, context -> Provider in
            let id = try context.parameters.requireID("id")
            try context.require(.updateProvider(id))  // before the body is read
            let patch = try await request.mergePatch(context: context)
            try patch.check(allowed: Self.patchableFields, record: "a provider profile")
            let updated = try await actions.updateProvider(id, by: try context.signedIn()) { current in
                try patch.applied(to: current).checked(against: reference.codes)
            }
            return Policy.decide(context.identity, .readProviderPrivateFields(id)) == .allowed ? updated : updated.withoutPrivateFields
        }
        group.post("/providers/{id}/certifications") { request, context -> EditedResponse<Certification> in
            let id = try context.parameters.requireID("id")
            try context.require(.certifyProvider)  // before the body is read
            let draft = try await request.decodeDraft(NewCertification.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.certifyProvider(id, draft, by: try context.signedIn()))
        }
        group.get("/providers/{id}/lineage") { _, context -> Lineage in
            try await actions.providerLineage(try context.parameters.requireID("id"), by: context.identity)
        }
        group.get("/providers/{id}/ratings") { _, context -> RatingSummary in
            try await actions.providerRatings(try context.parameters.requireID("id"), by: context.identity)
        }
        group.post("/trainings") { request, context -> EditedResponse<Training> in
            try context.require(.recordTraining)  // before the body is read
            let draft = try await request.decodeDraft(NewTraining.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.recordTraining(draft, by: try context.signedIn()))
        }
    }

    private func searchRequest(_ request: Request, _ context: AppRequestContext) async throws -> ProviderSearch {
        var search = ProviderSearch()
        var check = Validator()
        // What the search may include is the action's to decide; this says what was asked.
        search.includeUnpublished = true
        search.skill = try request.text("skill")
        search.language = try request.text("language")?.lowercased()
        search.text = try request.text("q")
        if let text = try request.text("min_speaking") {
            let level = Int(text)
            check(level.map { (0...4).contains($0) } ?? false, "min_speaking", "levels are 0 to 4")
            search.minSpeaking = level ?? 0
        }
        if let text = try request.text("kind") {
            search.kind = ProviderKind(rawValue: text)
            check(search.kind != nil, "kind", "must be one of \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let text = try request.text("gender") {
            search.gender = Gender(rawValue: text)
            check(search.gender != nil, "gender", "must be female, male or other")
        }
        if let text = try request.text("status") {
            // Only staff look at inactive profiles; the public always sees active ones (the action).
            search.status = text == "any" ? nil : ProviderStatus(rawValue: text)
            check(text == "any" || search.status != nil, "status", "must be active, inactive, suspended or any")
        }
        if let place = try request.text("place") {
            check(
                [2, 4, 6].contains(place.count) && place.isDigits(count: place.count), "place",
                "a ubigeo: 2 digits (department), 4 (province) or 6 (district)")
            search.place = place
        }
        if let certified = try request.text("certified") {
            check(["true", "false"].contains(certified), "certified", "true or false")
            search.certified = certified == "true"
        }
        if let sort = try request.text("sort") {
            check(["name", "newest"].contains(sort), "sort", "name or newest")
            search.newestFirst = sort == "newest"
        }
        (search.near, search.radiusKm) = try request.area(reference, check: &check)
        search.cursor = try request.cursor()
        search.limit = try request.pageLimit()
        try check.finish()
        return search
    }
}

extension Provider: ResponseEncodable {}
extension ProviderHit: ResponseEncodable {}
extension Certification: ResponseEncodable {}
extension Training: ResponseEncodable {}
extension Lineage: ResponseEncodable {}

extension RatingSummary: ResponseEncodable {}
