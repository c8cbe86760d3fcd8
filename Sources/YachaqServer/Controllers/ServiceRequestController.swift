import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// `/v1/requests` and `/v1/applications`: demand, the explained shortlist, the choice.
struct ServiceRequestController {
    let actions: Actions
    let reference: ReferenceData
    /// The shortlist's reasons are written in the reader's language (`Accept-Language`).
    let translations: Translations

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/requests") { request, context -> EditedResponse<ServiceRequest> in
            let identity = try context.signedIn()
            let draft = try await request.decodeDraft(NewServiceRequest.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.postServiceRequest(draft, by: identity))
        }
        group.get("/requests") { request, _ -> Page<ServiceRequest> in
            var check = Validator()
            let status = try request.text("status").map(ServiceRequestStatus.init(rawValue:))
            check(status.map { $0 != nil } ?? true, "status", "must be open, awarded, cancelled or closed")
            let area = try request.area(reference, check: &check)
            try check.finish()
            return try await actions.listRequests(
                status: status ?? nil, skill: try request.text("skill"), near: area.near, radiusKm: area.radiusKm,
                after: try request.cursor(), limit: try request.pageLimit())
        }
        group.get("/requests/{id}") { _, context -> ServiceRequest in
            try await actions.readRequest(try context.parameters.requireID("id"))
        }
        group.patch("/requests/{id}") { request, context -> ServiceRequest in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let patch = try await request.mergePatch(context: context)
            try patch.check(allowed: NewServiceRequest.editableFields, record: "a request")
            let codes = reference.codes
            return try await actions.editServiceRequest(id, by: identity) { current in
                try patch.applied(to: current).checked(against: codes)
            }
        }
        group.post("/requests/{id}/transitions") { request, context -> ServiceRequest in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let transition = try await request.decodeDraft(ServiceRequestTransition.self, context: context, codes: reference.codes)
            return try await actions.moveServiceRequest(id, transition, by: identity)
        }
        group.get("/requests/{id}/matches") { request, context -> WrittenJSON<Items<Match>> in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let limit = try request.pageLimit(default: 20, maximum: 100)
            let words = Words(
                translations, language: PageLanguage.preferred(by: request.headers[.acceptLanguage]), reference: reference)
            let shortlist = try await actions.shortlist(id, limit: limit, by: identity).map { match in
                var match = match
                for index in match.reasons.indices { match.reasons[index].note = words.reason(match.reasons[index]) }
                return match
            }
            return WrittenJSON(Items(items: shortlist))
        }
        group.post("/requests/{id}/applications") { request, context -> EditedResponse<JobApplication> in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let draft = try await request.decodeDraft(NewJobApplication.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.applyToRequest(id, draft, by: identity))
        }
        group.get("/requests/{id}/applications") { _, context -> Items<JobApplication> in
            Items(items: try await actions.listApplications(try context.parameters.requireID("id"), by: try context.signedIn()))
        }
        group.patch("/applications/{id}") { request, context -> JobApplication in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let change = try await request.decodeDraft(JobApplicationChange.self, context: context, codes: reference.codes)
            return try await actions.changeApplication(id, change, by: identity)
        }
    }
}

extension ServiceRequest: ResponseEncodable {}
extension JobApplication: ResponseEncodable {}
