import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// Every write route, walked in one story through HTTP: each leaves exactly one audit row
/// per record it changed, and that row's `before` / `after` are the record as the API shows
/// it to staff (the response body, or the record read back through the API).
@Suite struct AuditTrailTests {
    typealias JSON = [String: Any]

    @Test func everyWriteRouteLeavesOneRowPerRecordInTheAPIsShape() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff], community = world.tokens[.community]
        let walked = try await withApp(on: world.endpoint) { client in
            var walked: Set<String> = []
            var seen = try await client.send(.get, "/v1/audit?limit=1", token: staff).items().first?["id"] as? Int ?? 0
            /// Sends the write; returns its body and the audit rows written since the last one, oldest first.
            func write(
                _ method: HTTPRequest.Method, _ route: String, _ path: String, token: String?, json: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws -> (body: JSON, rows: [JSON]) {
                walked.insert("\(method) \(route)")
                let response = try await client.send(method, path, token: token, json: json)
                #expect(
                    (200..<300).contains(Int(response.status.code)), "\(method) \(path): \(String(buffer: response.body))",
                    sourceLocation: sourceLocation)
                let body = response.status == .noContent ? [:] : try response.object()
                let rows = try await client.send(.get, "/v1/audit?limit=20", token: staff).items().filter { ($0["id"] as? Int ?? 0) > seen }
                seen = rows.compactMap { $0["id"] as? Int }.max() ?? seen
                return (body, rows.reversed())
            }
            func read(_ path: String) async throws -> JSON {
                try await client.send(.get, path, token: staff).object()
            }
            func expect(
                _ rows: [JSON], _ expected: [(entity: String, action: String, before: JSON?, after: JSON?)],
                sourceLocation: SourceLocation = #_sourceLocation
            ) {
                #expect(
                    rows.map { "\($0["entity"] ?? "") \($0["action"] ?? "")" } == expected.map { "\($0.entity) \($0.action)" },
                    sourceLocation: sourceLocation)
                for (row, want) in zip(rows, expected) {
                    #expect(
                        Self.same(row["before"], want.before), "before of \(want.entity) \(want.action): \(row["before"] ?? "none")",
                        sourceLocation: sourceLocation)
                    #expect(
                        Self.same(row["after"], want.after), "after of \(want.entity) \(want.action): \(row["after"] ?? "none")",
                        sourceLocation: sourceLocation)
                }
            }

            // Accounts: an organisation, its user, who signs in and out.
            let organization = try await write(
                .post, "/v1/organizations", "/v1/organizations", token: staff,
                json: #"{"name":"Comunidad Campesina de Pinaya","kind":"community","ubigeo":"210101"}"#)
            expect(organization.rows, [("organization", "create", nil, organization.body)])
            let user = try await write(
                .post, "/v1/users", "/v1/users", token: world.tokens[.admin],
                json: """
                    {"login":"pinaya-user","password":"a long password 1","role":"community",
                     "organization_id":"\(organization.body["id"]!)"}
                    """)
            expect(user.rows, [("user", "create", nil, user.body)])
            let signIn = try await write(
                .post, "/v1/auth/login", "/v1/auth/login", token: nil, json: #"{"login":"pinaya-user","password":"a long password 1"}"#)
            let session = try #require(signIn.rows.first?["after"] as? JSON)
            #expect(
                session["user_id"] as? String == user.body["id"] as? String
                    && session["expires_at"] as? String == signIn.body["expires_at"] as? String)
            #expect(session["revoked_at"] == nil)
            expect(signIn.rows, [("session", "sign_in", nil, session)])
            let signOut = try await write(.post, "/v1/auth/logout", "/v1/auth/logout", token: signIn.body["token"] as? String)
            var revoked = session
            revoked["revoked_at"] = (signOut.rows.first?["after"] as? JSON)?["revoked_at"]
            #expect(revoked["revoked_at"] is String)
            expect(signOut.rows, [("session", "sign_out", session, revoked)])
            let contact = try await write(
                .put, "/v1/users/me/contact", "/v1/users/me/contact", token: world.tokens[.community],
                json: #"{"phone":"987 654 321","sms":true}"#)
            expect(contact.rows, [("user", "set_contact", ["phone": NSNull(), "sms": false, "language": "es"], contact.body)])

            // The registry: a profile, changed, certified, trained.
            let provider = try await write(
                .post, "/v1/providers", "/v1/providers", token: staff,
                json: """
                    {"full_name":"Ayda Cutipa Layme","kind":"yachachiq","gender":"female","national_id":"41000001","home_ubigeo":"081206",
                     "daily_rate_cents":7000,"travel_radius_km":40,"languages":[{"code":"quz","speaking":4,"understanding":4,
                      "reading":2,"writing":1}],
                     "skills":[{"code":"camelids.fibre","level":3,"years":5}],"consent_to_publish":true}
                    """)
            expect(provider.rows, [("provider", "create", nil, provider.body)])
            let providerPath = "/v1/providers/\(provider.body["id"]!)"
            let changed = try await write(.patch, "/v1/providers/{id}", providerPath, token: staff, json: #"{"daily_rate_cents":7500}"#)
            expect(changed.rows, [("provider", "update", provider.body, changed.body)])
            let certified = try await write(
                .post, "/v1/providers/{id}/certifications", providerPath + "/certifications", token: staff,
                json: """
                    {"skill":"camelids.fibre","certifier_organization_id":"\(world.agency.id)","issued_on":"2025-06-15"}
                    """)
            expect(certified.rows, [("provider", "certify", changed.body, try await read(providerPath))])
            let training = try await write(
                .post, "/v1/trainings", "/v1/trainings", token: staff,
                json: """
                    {"trainer_id":"\(world.publishedProvider.id)","trainee_id":"\(provider.body["id"]!)","skill":"camelids.fibre",
                     "held_on":"2024-05-01"}
                    """)
            expect(training.rows, [("training", "create", nil, training.body)])

            // Review: advice (nothing else changes); a suspension and a reinstatement (the
            // profile changes too); a provider's answer.
            let advised = try await write(
                .post, "/v1/providers/{id}/reviews", providerPath + "/reviews", token: staff,
                json: """
                    {"period_from":"2026-01-01","period_to":"2026-06-30","summary":"Buena técnica, poca constancia",
                     "decision":"needs_training","training":"Curso de manejo de rebaños, Sicuani, marzo"}
                    """)
            expect(advised.rows, [("review", "create", nil, advised.body)])
            var standing = try await read(providerPath)
            for (decision, reason) in [
                ("suspend", "Cobró a las familias un pago que el contrato cubría"), ("reinstate", "Devolvió el cobro"),
            ] {
                let reviewed = try await write(
                    .post, "/v1/providers/{id}/reviews", providerPath + "/reviews", token: world.tokens[.admin],
                    json: """
                        {"period_from":"2026-07-01","period_to":"2026-07-31","summary":"Queja de la comunidad",
                         "decision":"\(decision)","reason":"\(reason)"}
                        """)
                let after = try await read(providerPath)
                expect(reviewed.rows, [("review", "create", nil, reviewed.body), ("provider", decision, standing, after)])
                standing = after
            }
            let unanswered = try #require(
                try await client.send(.get, "/v1/providers/\(world.ownProvider.id)/reviews", token: staff).items().first)
            let answered = try await write(
                .post, "/v1/reviews/{id}/answer", "/v1/reviews/\(world.reviewOfOwn.id)/answer", token: world.tokens[.provider],
                json: #"{"text":"Gracias"}"#)
            expect(answered.rows, [("review", "answer", unanswered, answered.body)])

            // The market: a request, widened, an invitation, the choice, the close.
            let request = try await write(
                .post, "/v1/requests", "/v1/requests", token: community,
                json: """
                    {"title":"Esquila de alpacas","skills":["camelids.fibre"],"languages":["que"],"ubigeo":"081206",
                     "starts_on":"2027-03-01","ends_on":"2027-04-30","budget_cents":500000}
                    """)
            expect(request.rows, [("request", "create", nil, request.body)])
            let requestPath = "/v1/requests/\(request.body["id"]!)"
            let widened = try await write(
                .patch, "/v1/requests/{id}", requestPath, token: community, json: #"{"languages":["que","spa"],"families":40}"#)
            expect(widened.rows, [("request", "edit", request.body, widened.body)])
            let invited = try await write(
                .post, "/v1/requests/{id}/applications", requestPath + "/applications", token: community,
                json: #"{"provider_id":"\#(provider.body["id"]!)","note":"Recomendada por el yachaq"}"#)
            expect(invited.rows, [("application", "invite", nil, invited.body)])
            let selected = try await write(
                .patch, "/v1/applications/{id}", "/v1/applications/\(invited.body["id"]!)", token: community,
                json: #"{"status":"selected"}"#)
            let awarded = try await read(requestPath)
            expect(selected.rows, [("application", "selected", invited.body, selected.body), ("request", "award", widened.body, awarded)])
            // The contract: drafted from the selection, signed, amended, a milestone met, paid.
            let contract = try await write(
                .post, "/v1/contracts", "/v1/contracts", token: community,
                json: """
                    {"application_id":"\(invited.body["id"]!)","funding":[
                      {"source_organization_id":"\(world.agency.id)","kind":"public_transfer","amount_cents":350000},
                      {"source_organization_id":"\(world.communityA.id)","kind":"counterpart_cash","amount_cents":150000}],
                     "milestones":[{"title":"Fibra clasificada","due_on":"2027-04-30"}]}
                    """)
            expect(contract.rows, [("contract", "create", nil, contract.body)])
            let contractPath = "/v1/contracts/\(contract.body["id"]!)"
            let signed = try await write(
                .post, "/v1/contracts/{id}/transitions", contractPath + "/transitions", token: community, json: #"{"to":"signed"}"#)
            expect(signed.rows, [("contract", "signed", contract.body, signed.body)])
            let amended = try await write(
                .post, "/v1/contracts/{id}/amendments", contractPath + "/amendments", token: community,
                json: #"{"ends_on":"2027-05-15","reason":"Nevada en abril"}"#)
            expect(amended.rows, [("contract", "amend", signed.body, amended.body)])
            let milestone = try #require((contract.body["milestones"] as? [JSON])?.first?["id"] as? String)
            let judged = try await write(
                .patch, "/v1/contracts/{id}/milestones/{milestone_id}", contractPath + "/milestones/\(milestone)", token: community,
                json: #"{"status":"met","on":"2027-04-28","note":"Fibra en cuatro calidades"}"#)
            expect(judged.rows, [("contract", "milestone_met", amended.body, judged.body)])
            let paid = try await write(
                .post, "/v1/contracts/{id}/payments", contractPath + "/payments", token: community,
                json: """
                    {"amount_cents":150000,"paid_on":"2027-03-02","method":"cash","payer_organization_id":"\(world.communityA.id)"}
                    """)
            expect(paid.rows, [("payment", "pay", nil, paid.body)])

            // The work ends; the community rates it, and staff hide an abusive comment.
            var current = try await read(contractPath)
            for step in ["active", "completed"] {
                let moved = try await write(
                    .post, "/v1/contracts/{id}/transitions", contractPath + "/transitions", token: community, json: #"{"to":"\#(step)"}"#)
                expect(moved.rows, [("contract", step, current, moved.body)])
                current = moved.body
            }
            let rated = try await write(
                .post, "/v1/contracts/{id}/rating", contractPath + "/rating", token: community,
                json: """
                    {"technical":5,"communication":4,"punctuality":4,"results":5,"would_hire_again":true,"comment":"Sabe mucho",
                     "targets":[{"target":"Fibra de 400 alpacas clasificada","achieved":"420 alpacas"}]}
                    """)
            expect(rated.rows, [("rating", "rate", nil, rated.body)])
            let hidden = try await write(
                .patch, "/v1/contracts/{id}/rating", contractPath + "/rating", token: staff,
                json: #"{"comment_hidden_reason":"Datos personales de una familia"}"#)
            expect(hidden.rows, [("rating", "hide_comment", rated.body, hidden.body)])

            let closed = try await write(
                .post, "/v1/requests/{id}/transitions", requestPath + "/transitions", token: community,
                json: #"{"to":"closed","reason":"Contratada"}"#)
            expect(closed.rows, [("request", "close", awarded, closed.body)])
            try await Self.walkSMS(
                world, client: client, write: { try await write($0, $1, $2, token: $3, json: $4, sourceLocation: $5) }, read: read,
                expect: { expect($0, $1, sourceLocation: $2) })
            walked.formUnion([
                "POST /v1/applications/{id}/answer", "POST /v1/sms/inbound", "POST /v1/sms/delivery", "POST /v1/sms/outbox/{id}/retry",
            ])
            return walked
        }
        let router = buildRouter(
            database: TestDatabase.makeClient(world.endpoint), reference: try await TestDatabase.reference(), logger: TestDatabase.logger)
        // Page forms write through these same stores; PageAccessTests checks each leaves its rows.
        let writes = Set(
            router.routes.filter { $0.method != .get && $0.method != .head }.map { "\($0.method) \($0.path)" }.filter {
                !PageSources.isPage($0)
            })
        #expect(walked == writes, "write routes not walked: \(writes.subtracting(walked).sorted())")
    }

    /// A stored snapshot is the record the API showed: the same JSON, or both absent.
    static func same(_ stored: Any?, _ shown: JSON?) -> Bool {
        switch (stored, shown) {
        case (nil, nil), (is NSNull, nil): true
        case (let stored as JSON, let shown?): canonical(stored) == canonical(shown)
        default: false
        }
    }

    static func canonical(_ object: JSON) -> Data? {
        try? JSONSerialization.data(withJSONObject: object, options: .sortedKeys)
    }
}
