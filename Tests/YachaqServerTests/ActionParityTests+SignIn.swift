import Foundation
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// Signing in and out through either door writes the same rows: a session and its audit entry
/// (`sign_in`, then `sign_out`) for the right password; for a wrong one, no session, no audit
/// entry, one more failure counted against the login and the address.
extension ActionParityTests {
    @Test(arguments: [World.password, "not the password"])
    func signingInAndOutWritesTheSameThroughBothDoors(password: String) async throws {
        let viaAPI = try await World.make(), viaPage = try await World.make()
        let rightPassword = password == World.password
        let apiRows = try await withApp(on: viaAPI.endpoint) { client in
            let mark = try await AuditEntries.mark(viaAPI)
            let credentials = #"{"login":"community-user","password":"\#(password)"}"#
            let signedIn = try await client.send(.post, "/v1/auth/login", json: credentials)
            #expect(signedIn.status == (rightPassword ? .ok : .unauthorized))
            if rightPassword {
                let token = try #require(try signedIn.object()["token"] as? String)
                #expect(try await client.send(.post, "/v1/auth/logout", token: token).status == .noContent)
            }
            return try await AuditEntries.since(mark, in: viaAPI)
        }
        let pageRows = try await withApp(on: viaPage.endpoint) { client in
            let mark = try await AuditEntries.mark(viaPage)
            var browser = Browser(client, language: "es")
            #expect(try await browser.get("/sign-in").status == .ok)
            let signedIn = try await browser.post("/sign-in", [("login", "community-user"), ("password", password)])
            #expect(signedIn.status == (rightPassword ? .seeOther : .unauthorized))
            if rightPassword {
                #expect(try await browser.get("/home").status == .ok)
                #expect(try await browser.post("/sign-out", []).status == .seeOther)
            }
            return try await AuditEntries.since(mark, in: viaPage)
        }
        #expect(apiRows == pageRows)
        let actions = apiRows.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(actions == (rightPassword ? ["sign_in session", "sign_out session"] : []))
        for world in [viaAPI, viaPage] {
            #expect(try await world.count("SELECT count(*)::int FROM sign_in_failures") == (rightPassword ? 0 : 1))
        }
    }
}
