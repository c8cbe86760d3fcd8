import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// `/v1/organizations`: communities, producer groups, municipalities, agencies.
struct OrganizationController {
    let actions: Actions
    let reference: ReferenceData

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/organizations") { request, context -> EditedResponse<Organization> in
            try context.require(.createOrganization)  // before the body is read
            let draft = try await request.decodeDraft(NewOrganization.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.registerOrganization(draft, by: try context.signedIn()))
        }
        group.get("/organizations") { request, context -> Page<Organization> in
            try context.require(.listOrganizations)
            var kind: OrganizationKind?
            if let text = try request.text("kind") {
                guard let value = OrganizationKind(rawValue: text) else {
                    throw Problem.validation(
                        field: "kind", "must be one of \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = value
            }
            return try await actions.listOrganizations(
                kind: kind, search: try request.text("q"), after: try request.cursor(), limit: try request.pageLimit(),
                by: try context.signedIn())
        }
        group.get("/organizations/{id}") { _, context -> Organization in
            let id = try context.parameters.requireID("id")
            try context.require(.readOrganization(id))  // 401 before anything about the id
            return try await actions.readOrganization(id, by: try context.signedIn())
        }
    }
}

extension Organization: ResponseEncodable {}

extension Parameters {
    /// A path parameter that must be an id (UUID): 422 when it is not.
    func requireID(_ name: String) throws -> UUID {
        guard let text = get(name), let id = UUID(uuidString: text) else {
            throw Problem.validation(field: name, "must be an id (UUID)")
        }
        return id
    }
}
