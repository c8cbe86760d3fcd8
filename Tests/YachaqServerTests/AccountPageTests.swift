import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// Organisations and accounts on staff's pages: created, edited, disabled and enabled, a
/// password reset and shown once; staff never touch an admin's account.
@Suite struct AccountPageTests {
    @Test func staffManageOrganisationsAndTheirUsers() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var staff = Browser(client, language: "es", session: world.tokens[.staff])
            try await staff.get("/staff/organizations")
            let refused = try await staff.post("/staff/organizations", [("name", "X"), ("kind", "community"), ("ubigeo", "999999")])
            #expect(refused.status == .unprocessableContent)
            #expect(try staff.shows("error.field.name", in: "es") && staff.shows("error.field.district", in: "es"))
            let created = try await staff.post(
                "/staff/organizations", [("name", "Comunidad Campesina de Pinchimuro"), ("kind", "community"), ("ubigeo", "081205")])
            let landing = try #require(created.headers[.location])
            #expect(landing.hasSuffix("?done=organization_created"))
            let page = String(landing.prefix { $0 != "?" })
            try await staff.get(landing)
            #expect(try staff.shows("done.organization_created", in: "es"))
            #expect(
                try await staff.post(page, [("name", "C. C. Pinchimuro"), ("ubigeo", "081205"), ("contact", "Radio Ocongate")]).status
                    == .seeOther)
            let id = String(page.dropFirst("/staff/organizations/".count))
            let organization = try await client.send(.get, "/v1/organizations/\(id)", token: world.tokens[.staff]).object()
            #expect(organization["name"] as? String == "C. C. Pinchimuro" && organization["contact"] as? String == "Radio Ocongate")

            try await staff.get(page)
            #expect(
                try await staff.post("\(page)/users", [("login", "pinchimuro"), ("role", "community"), ("language", "qu")]).status == .ok)
            let password = try #require(Browser.first(#"<code>([^<]+)</code>"#, in: staff.page))
            var member = Browser(client)
            try await member.get("/sign-in")
            #expect(try await member.post("/sign-in", [("login", "pinchimuro"), ("password", password)]).status == .seeOther)
            #expect(try await member.get("/home").status == .ok)
            // A new password ends the old one and every session.
            try await staff.get(page)
            let user = try #require(Browser.first(#"action="/staff/users/([0-9a-f-]+)/password""#, in: staff.page))
            #expect(try await staff.post("/staff/users/\(user)/password", []).status == .ok)
            let renewed = try #require(Browser.first(#"<code>([^<]+)</code>"#, in: staff.page))
            #expect(renewed != password)
            #expect(try await member.get("/home").status == .seeOther)
            try await member.get("/sign-in")
            #expect(try await member.post("/sign-in", [("login", "pinchimuro"), ("password", password)]).status == .unauthorized)
            #expect(try await member.post("/sign-in", [("login", "pinchimuro"), ("password", renewed)]).status == .seeOther)
            // Disabling the organisation ends its users' sessions; enabling it lets them back.
            try await staff.get(page)
            #expect(try await staff.post("\(page)/disabled", [("disabled", "yes")]).status == .seeOther)
            #expect(try await member.get("/home").status == .seeOther)
            try await member.get("/sign-in")
            #expect(try await member.post("/sign-in", [("login", "pinchimuro"), ("password", renewed)]).status == .unauthorized)
            try await staff.get(page)
            #expect(try await staff.post("\(page)/disabled", [("disabled", "no")]).status == .seeOther)
            try await staff.get(page)
            #expect(try await staff.post("/staff/users/\(user)/disabled", [("disabled", "yes")]).status == .seeOther)
            #expect(try await member.post("/sign-in", [("login", "pinchimuro"), ("password", renewed)]).status == .unauthorized)
            let audited = try await world.count(
                "SELECT count(*)::int FROM audit_log WHERE action IN ('update', 'disable', 'enable', 'reset_password')")
            #expect(audited == 5)
        }
    }

    @Test func onlyAdminsManageAdmins() async throws {
        let world = try await World.make()
        let admin = try #require(world.users[.admin]).id
        try await withApp(on: world.endpoint) { client in
            var staff = Browser(client, session: world.tokens[.staff])
            try await staff.get("/staff/users")
            #expect(!staff.page.contains("/staff/users/\(admin.uuidString.lowercased())/password"))
            #expect(try await staff.post("/staff/users/\(admin)/password", []).status == .forbidden)
            #expect(try await staff.post("/staff/users/\(admin)/disabled", [("disabled", "yes")]).status == .forbidden)
            #expect(try await staff.post("/staff/users", [("login", "another-admin")]).status == .forbidden)
            var chief = Browser(client, session: world.tokens[.admin])
            try await chief.get("/staff/users")
            #expect(try await chief.post("/staff/users", [("login", "another-admin")]).status == .ok)
            #expect(chief.page.contains("another-admin") && chief.page.contains("<code>"))
        }
    }
}
