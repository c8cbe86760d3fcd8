import Foundation
import Hummingbird
import YachaqDomain
import YachaqStore

/// `/v1/requests` and `/v1/applications`: demand, the explained shortlist, the choice.
struct ServiceRequestController {
    let requests: ServiceRequestStore
    let matches: MatchStore
    let applications: JobApplicationStore
    let reference: ReferenceStore
    let codes: ReferenceCodesCache
    /// The shortlist's reasons are written in the reader's language (`Accept-Language`).
    let kit: PageKit
    let names: ReferenceNames

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/requests") { request, context -> EditedResponse<ServiceRequest> in
            let identity = try context.signedIn()
            let draft = try await request.decodeDraft(NewServiceRequest.self, context: context, codes: codes)
            // A community or municipality user posts for its own organisation unless it says
            // otherwise; staff (whose organisation is the agency) must say which.
            let buyer = identity.role == .community || identity.role == .municipality
            guard let organization = draft.organizationID ?? (buyer ? identity.organizationID : nil) else {
                throw Problem.validation(field: "organization_id", "say which organisation the request is for")
            }
            try context.require(.createServiceRequest(organizationID: organization))
            return EditedResponse(
                status: .created, response: try await requests.create(draft, organizationID: organization, actor: identity))
        }
        group.get("/requests") { request, _ -> Page<ServiceRequest> in
            var check = Validator()
            let status = try request.text("status").map(ServiceRequestStatus.init(rawValue:))
            check(status.map { $0 != nil } ?? true, "status", "must be open, awarded, cancelled or closed")
            let area = try await request.area(reference, check: &check)
            try check.finish()
            return try await requests.list(
                status: status ?? nil, skill: try request.text("skill"), near: area.near, radiusKm: area.radiusKm,
                after: try request.cursor(), limit: try request.pageLimit())
        }
        group.get("/requests/{id}") { _, context -> ServiceRequest in
            try await existing(try context.parameters.requireID("id"))
        }
        group.post("/requests/{id}/transitions") { request, context -> ServiceRequest in
            let found = try await existing(try context.parameters.requireID("id"))
            try context.require(.manageServiceRequest(organizationID: found.organizationID))
            let transition = try await request.decodeDraft(ServiceRequestTransition.self, context: context, codes: codes)
            return try await requests.transition(found.id, transition, actor: context.identity)
        }
        group.get("/requests/{id}/matches") { request, context -> WrittenJSON<Items<Match>> in
            let found = try await existing(try context.parameters.requireID("id"))
            try context.require(.manageServiceRequest(organizationID: found.organizationID))
            let limit = try request.pageLimit(default: 20, maximum: 100)
            let words = PageWords(
                kit: kit, language: PageLanguage.preferred(by: request.headers[.acceptLanguage]), names: try await names.get())
            let shortlist = try await matches.shortlist(request: found.id, limit: limit).map { match in
                var match = match
                for index in match.reasons.indices { match.reasons[index].note = words.reason(match.reasons[index]) }
                return match
            }
            return WrittenJSON(Items(items: shortlist))
        }
        group.post("/requests/{id}/applications") { request, context -> EditedResponse<JobApplication> in
            let found = try await existing(try context.parameters.requireID("id"))
            let identity = try context.signedIn()
            let draft = try await request.decodeDraft(NewJobApplication.self, context: context, codes: codes)
            // The provider applying for itself, or the buyer (or staff) inviting one from the shortlist.
            let applying = identity.providerID == draft.providerID
            try context.require(applying ? .actAsProvider(draft.providerID) : .manageServiceRequest(organizationID: found.organizationID))
            let application = try await applications.apply(requestID: found.id, draft, invited: !applying, actor: identity)
            return EditedResponse(status: .created, response: application)
        }
        group.get("/requests/{id}/applications") { _, context -> Items<JobApplication> in
            let found = try await existing(try context.parameters.requireID("id"))
            try context.require(.manageServiceRequest(organizationID: found.organizationID))
            return Items(items: try await applications.list(requestID: found.id))
        }
        group.patch("/applications/{id}") { request, context -> JobApplication in
            let id = try context.parameters.requireID("id")
            _ = try context.signedIn()
            guard let (application, organization) = try await applications.find(id) else {
                throw Problem.notFound("No application has id \(id).")
            }
            // Those who are neither the buyer nor the provider may not see it: 404, as for none.
            let buyersStep = Policy.Action.manageServiceRequest(organizationID: organization),
                providersStep = Policy.Action.actAsProvider(application.providerID)
            guard Policy.decide(context.identity, buyersStep) == .allowed || Policy.decide(context.identity, providersStep) == .allowed
            else {
                throw Problem.notFound("No application has id \(id).")
            }
            let change = try await request.decodeDraft(JobApplicationChange.self, context: context, codes: codes)
            // Withdrawing is the provider's own step; every other step is the buyer's.
            try context.require(change.status == .withdrawn ? providersStep : buyersStep)
            return try await applications.change(id, change, actor: context.identity)
        }
    }

    private func existing(_ id: UUID) async throws -> ServiceRequest {
        guard let found = try await requests.find(id) else { throw Problem.notFound("No request has id \(id).") }
        return found
    }
}

extension ServiceRequest: ResponseEncodable {}
extension JobApplication: ResponseEncodable {}
