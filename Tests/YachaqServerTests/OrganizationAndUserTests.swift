import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import PostgresNIO
import YachaqTestSupport

@Suite struct OrganizationAndUserTests {
    @Test func createsAnOrganizationWithItsAuditRow() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let response = try await client.send(
                .post, "/v1/organizations", token: world.tokens[.staff],
                json: """
                    {"name":"Municipalidad Provincial de Andahuaylas","kind":"municipality","ubigeo":"030201",
                     "tax_id":"20172473191","contact":"odel@example.pe"}
                    """)
            #expect(response.status == .created)
            let organization = try response.object()
            let id = try #require(organization["id"] as? String)
            #expect(organization["tax_id"] as? String == "20172473191")

            let read = try await client.send(.get, "/v1/organizations/\(id)", token: world.tokens[.admin])
            #expect(try read.object()["name"] as? String == "Municipalidad Provincial de Andahuaylas")

            let audit = try await client.send(.get, "/v1/audit?entity=organization&id=\(id)", token: world.tokens[.admin]).items()
            #expect(audit.count == 1)
            #expect(audit.first?["action"] as? String == "create")
            #expect((audit.first?["actor_id"] as? String).flatMap(UUID.init(uuidString:)) == world.users[.staff]!.id)
            #expect((audit.first?["after"] as? [String: Any])?["kind"] as? String == "municipality")
        }
    }

    @Test(arguments: [
        (#"{"name":"X","kind":"community","ubigeo":"080101"}"#, "name"),
        (#"{"name":"Comunidad","kind":"cooperative","ubigeo":"080101"}"#, "kind"),
        (#"{"name":"Comunidad","kind":"community","ubigeo":"8101"}"#, "ubigeo"),
        (#"{"name":"Comunidad","kind":"community","ubigeo":"999999"}"#, "ubigeo"),
        (#"{"name":"Comunidad","kind":"community","ubigeo":"080101","tax_id":"123"}"#, "tax_id"),
        (#"{"kind":"community","ubigeo":"080101"}"#, "name"),
        (#"{"name":7,"kind":"community","ubigeo":"080101"}"#, "name"),
    ])
    func badOrganizationsAre422AndWriteNothing(_ body: String, field: String) async throws {
        let world = try await World.make()
        let before = try await world.count("SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM audit_log)")
        try await withApp(on: world.endpoint) { client in
            let problem = try await client.send(.post, "/v1/organizations", token: world.tokens[.admin], json: body).problem(
                .unprocessableContent)
            #expect((problem["errors"] as? [[String: String]])?.map { $0["field"] } == [field])
        }
        #expect(try await world.count("SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM audit_log)") == before)
    }

    /// The second RUC violates a unique constraint after the first insert began: the
    /// organisation and its audit row go together.
    @Test func aDuplicateRUCIs409AndLeavesNoAuditRow() async throws {
        let world = try await World.make()
        let body = #"{"name":"Asociación de Alpaqueros","kind":"association","ubigeo":"210101","tax_id":"20600000001"}"#
        try await withApp(on: world.endpoint) { client in
            #expect(try await client.send(.post, "/v1/organizations", token: world.tokens[.admin], json: body).status == .created)
            let before = try await world.count("SELECT count(*) FROM audit_log")
            _ = try await client.send(.post, "/v1/organizations", token: world.tokens[.admin], json: body).problem(.conflict)
            #expect(try await world.count("SELECT count(*) FROM audit_log") == before)
            #expect(try await world.count("SELECT count(*) FROM organizations WHERE tax_id = '20600000001'") == 1)
        }
    }

    /// Many clients registering the same RUC at once: exactly one wins, the rest get 409.
    @Test func concurrentDuplicatesLeaveExactlyOne() async throws {
        let world = try await World.make()
        let statuses = try await withApp(on: world.endpoint) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<6 {
                    group.addTask {
                        let body = #"{"name":"Productores \#(n)","kind":"association","ubigeo":"210101","tax_id":"20600000002"}"#
                        return Int(try await client.send(.post, "/v1/organizations", token: world.tokens[.staff], json: body).status.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.sorted() == [201, 409, 409, 409, 409, 409])
        #expect(
            try await world.count("SELECT count(*) FROM audit_log WHERE entity = 'organization' AND after->>'tax_id' = '20600000002'") == 1)
    }

    @Test func listsOrganizationsByKindAndName() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let communities = try await client.send(.get, "/v1/organizations?kind=community", token: world.tokens[.staff]).items()
            #expect(communities.map { $0["name"] as? String } == ["Comunidad Campesina Chillihuani", "Comunidad Campesina Tupac Amaru"])
            let found = try await client.send(.get, "/v1/organizations?q=ocongate", token: world.tokens[.staff]).items()
            #expect(found.map { $0["kind"] as? String } == ["municipality"])
            let first = try await client.send(.get, "/v1/organizations?limit=1", token: world.tokens[.staff]).object()
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await client.send(.get, "/v1/organizations?limit=1&cursor=\(cursor)", token: world.tokens[.staff]).items()
            #expect((second.first?["name"] as? String) != ((first["items"] as? [[String: Any]])?.first?["name"] as? String))
            _ = try await client.send(.get, "/v1/organizations?kind=club", token: world.tokens[.staff]).problem(.unprocessableContent)
        }
    }

    @Test(arguments: [
        // (role, organisation in the world, expected status, field)
        ("community", "municipality", 422, "organization_id"),
        ("municipality", "communityA", 422, "organization_id"),
        ("community", "unknown", 422, "organization_id"),
        ("community", "none", 422, "organization_id"),
        ("community", "communityA", 201, ""),
        ("municipality", "municipality", 201, ""),
    ])
    func usersBelongToAnOrganizationOfTheRightKind(role: String, organization: String, status: Int, field: String) async throws {
        let world = try await World.make()
        let organizationID: String? =
            switch organization {
            case "municipality": world.municipality.id.uuidString
            case "communityA": world.communityA.id.uuidString
            case "unknown": UUID().uuidString
            default: nil
            }
        let body =
            #"{"login":"new.user","password":"long enough password","role":"\#(role)""#
            + (organizationID.map { #","organization_id":"\#($0)"}"# } ?? "}")
        try await withApp(on: world.endpoint) { client in
            let response = try await client.send(.post, "/v1/users", token: world.tokens[.admin], json: body)
            #expect(Int(response.status.code) == status, "\(String(buffer: response.body))")
            if status == 422 {
                #expect((try response.object()["errors"] as? [[String: String]])?.first?["field"] == field)
            }
        }
    }

    /// NIST SP 800-63B: a password on the list of the most common ones is refused, whatever its
    /// case; ten spaces are no password either (issue 27, finding 8). Nothing is written.
    @Test func commonOrBlankPasswordsAreRefused() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            for password in ["qwertyuiop", "QwertyUIOP", "1234567890", "q1w2e3r4t5", "          "] {
                let body = #"{"login":"rosa.quispe","password":"\#(password)","role":"admin"}"#
                let refused = try await client.send(.post, "/v1/users", token: world.tokens[.admin], json: body).problem(
                    .unprocessableContent)
                #expect((refused["errors"] as? [[String: String]])?.map { $0["field"] } == ["password"], "\(password)")
            }
            let body = #"{"login":"rosa.quispe","password":"Chillihuani ayllu 2027","role":"admin"}"#
            #expect(try await client.send(.post, "/v1/users", token: world.tokens[.admin], json: body).status == .created)
        }
        #expect(
            try await world.count(
                "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'user' AND after->>'login' = 'rosa.quispe'") == 1)
    }

    @Test func loginsAreUniqueWhateverTheCase() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let body = #"{"login":"Admin-User","password":"long enough password","role":"admin"}"#
            _ = try await client.send(.post, "/v1/users", token: world.tokens[.admin], json: body).problem(.conflict)
        }
    }

    @Test func theAuditTrailIsAppendOnly() async throws {
        let world = try await World.make()
        for statement in ["UPDATE audit_log SET action = 'edited'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
            await #expect(throws: (any Error).self, "\(statement)") {
                try await TestDatabase.withClient(world.endpoint) { client in try await client.query(PostgresQuery(unsafeSQL: statement)) }
            }
        }
        // 4 organisations, 3 providers, 5 users, 2 requests, 3 contracts and 1 review made by World, all still there.
        #expect(try await world.count("SELECT count(*) FROM audit_log WHERE action = 'create'") == 18)
    }
}
