import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// Public reference data: districts, languages, skills.
struct ReferenceController {
    let actions: Actions
    let reference: ReferenceData

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/districts") { request, _ -> Page<District> in
            try await actions.searchDistricts(
                search: try request.text("q"), department: try request.text("department"),
                after: try request.cursor(), limit: try request.pageLimit()
            )
        }
        group.get("/districts/{ubigeo}") { _, context -> District in
            let text = try context.parameters.require("ubigeo")
            guard let ubigeo = Ubigeo(text) else {
                throw Problem.validation(field: "ubigeo", "a ubigeo is 6 digits, e.g. 080101")
            }
            guard let district = try await actions.searchDistricts.district(ubigeo) else {
                throw Problem.notFound("No district has ubigeo \(ubigeo).")
            }
            return district
        }
        group.get("/languages") { _, _ in Items(items: reference.languages) }
        group.get("/skills") { _, _ in Items(items: reference.skills) }
    }
}

extension Page: ResponseEncodable {}
extension District: ResponseEncodable {}
