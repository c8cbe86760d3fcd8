import Hummingbird
import YachaqDomain
import YachaqStore

/// `GET /v1/audit?entity=&id=`: the audit trail, newest first (staff and admin).
struct AuditController {
    let store: AuditStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/audit") { request, context -> Page<AuditEntry> in
            try context.require(.readAudit)
            return try await store.list(
                entity: try request.text("entity"), entityID: try request.text("id"),
                after: try request.cursor(), limit: try request.pageLimit()
            )
        }
    }
}
