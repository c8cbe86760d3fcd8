import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// `GET /v1/audit?entity=&id=`: the audit trail, newest first (staff and admin).
struct AuditController {
    let actions: Actions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/audit") { request, context -> Page<AuditEntry> in
            try context.require(.readAudit)  // before the query is read, as the action decides again
            return try await actions.listAudit(
                entity: try request.text("entity"), entityID: try request.text("id"), after: try request.cursor(),
                limit: try request.pageLimit(), by: try context.signedIn())
        }
    }
}
