import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// Addresses no route serves: a browser gets a page in its language (or the page its form's
/// address belongs to); an API client keeps its problem JSON.
@Suite struct UnknownAddressTests {
    static let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml", .acceptLanguage: "qu"]

    @Test func aBrowserGetsA404PageInItsLanguage() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/kaypi-mana-imapas", method: .get, headers: Self.browser)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(buffer: response.body)
            #expect(page.contains(#"<html lang="qu">"#) && page.contains(#"<h1 id="problem">"#) && page.contains(#"href="/home""#))
        }
    }

    @Test(arguments: ["/v1/nothing", "/nothing"])
    func anAPIClientKeepsItsProblem(path: String) async throws {
        try await withApp { client in
            let headers: HTTPFields = path.hasPrefix("/v1/") ? Self.browser : [.accept: "application/json"]
            let response = try await client.execute(uri: path, method: .get, headers: headers)
            #expect(response.status == .notFound && response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func aFormsAddressOpenedAgainGoesToItsPage() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var headers = Self.browser
            headers[.cookie] = "yachaq_session=\(world.tokens[.community] ?? "")"
            for (address, page) in [
                ("/contracts/\(world.contractA.id)/transitions", "/contracts/\(world.contractA.id)"),
                ("/contracts/\(world.contractA.id)/payments", "/contracts/\(world.contractA.id)"),
                ("/requests/\(world.requestA.id)/invite", "/requests/\(world.requestA.id)"),
                ("/applications/\(world.applicationA.id)", "/home"), ("/language", "/home"),
            ] {
                let response = try await client.execute(uri: address, method: .get, headers: headers)
                #expect(response.status == .seeOther && response.headers[.location] == page, "\(address): \(response.status)")
            }
        }
    }
}

/// A refused form is drawn at the form's action: its language switch goes back to the page
/// the form is on (a GET there works), not to the action or to the reader's home.
@Suite struct RefusedFormLanguageTests {
    @Test func theLanguageSwitchOfARefusedFormGoesBackToItsPage() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu", session: world.tokens[.community])
            let contract = "/contracts/\(world.contractA.id)"
            try await browser.get(contract)
            let refused = try await browser.post("\(contract)/payments", [("amount", "mana yupay")])
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains(#"name="back" value="\#(contract)""#))
            let request = "/requests/\(world.requestA.id)"
            let cancelled = try await browser.post("\(request)/transitions", [("to", "someday")])
            #expect(cancelled.status == .unprocessableContent)
            #expect(String(buffer: cancelled.body).contains(#"name="back" value="\#(request)""#))
            let form = try await browser.post("/new-request", [("title", "")])
            #expect(String(buffer: form.body).contains(#"name="back" value="/new-request""#))
        }
    }
}
