import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// The frame's guards: the CSRF token on every form, the session cookie (fixation, expiry,
/// sign-out), the language switch, the headers, and the policy on pages.
@Suite struct PageSecurityTests {
    @Test func aFormWithoutItsTokenIsRefusedAndWritesNothing() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu", session: world.tokens[.community])
            try await browser.get("/new-request")
            let before = try await world.count("SELECT count(*)::int FROM service_requests")
            let fields = [
                ("title", "Riego tecnificado"), ("skill", "water.sprinkler"), ("language", "quz"), ("district", "081206"),
                ("starts_on", "2027-06-01"), ("ends_on", "2027-06-30"), ("budget", "3000"),
            ]
            for token: String? in [nil, "", "forged", try browser.lastToken() + "A"] {
                let refused = try await browser.post("/new-request", fields, csrf: .some(token))
                #expect(refused.status == .forbidden)
                #expect(try browser.shows("error.csrf", in: "qu"))
            }
            // A token of another browser (its own cookie) does not pass either.
            var stranger = Browser(client)
            try await stranger.get("/")
            #expect(try await browser.post("/new-request", fields, csrf: .some(try stranger.lastToken())).status == .forbidden)
            #expect(try await world.count("SELECT count(*)::int FROM service_requests") == before)
            // The same form with the page's own token goes through.
            try await browser.get("/new-request")
            #expect(try await browser.post("/new-request", fields).status == .seeOther)
            #expect(try await world.count("SELECT count(*)::int FROM service_requests") == before + 1)
        }
    }

    @Test func signingInMakesANewSessionAndSigningOutEndsIt() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client)
            // Fixation: a session id planted before signing in is never the one signed in.
            browser.cookies["yachaq_session"] = "planted-by-someone-else-0000000000000000000"
            try await browser.get("/sign-in")
            let wrong = try await browser.post("/sign-in", [("login", "community-user"), ("password", "not it")])
            #expect(wrong.status == .unauthorized)
            #expect(browser.page.contains(#"value="community-user""#))
            let csrfBefore = browser.cookies["yachaq_csrf"]
            let signedIn = try await browser.post("/sign-in", [("login", "community-user"), ("password", World.password)])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/home")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("yachaq_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            let session = try #require(browser.cookies["yachaq_session"])
            #expect(session != "planted-by-someone-else-0000000000000000000")
            #expect(browser.cookies["yachaq_csrf"] != csrfBefore)
            #expect(try await browser.get("/home").status == .ok)

            try await browser.post("/sign-out", [])
            #expect(browser.cookies["yachaq_session"] == nil)
            var replay = Browser(client, session: session)
            let after = try await replay.get("/home")
            #expect(after.status == .seeOther && after.headers[.location] == "/sign-in?next=%2Fhome")
        }
    }

    @Test func anExpiredSessionSendsToSignInAndIsCleared() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, session: world.tokens[.community])
            #expect(try await browser.get("/home").status == .ok)
            _ = try await world.count(
                """
                WITH e AS (UPDATE sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' RETURNING 1)
                SELECT count(*)::int FROM e
                """)
            let expired = try await browser.get("/home")
            #expect(expired.status == .seeOther && expired.headers[.location]?.hasPrefix("/sign-in") == true)
            #expect(browser.cookies["yachaq_session"] == nil)
        }
    }

    /// Behind a trusted proxy that says the browser came over TLS, cookies are `Secure`.
    @Test func cookiesAreSecureOverTLS() async throws {
        var configuration = roomyConfiguration
        configuration.trustedProxies = ["local"]
        try await withApp(on: try await TestDatabase.fresh(), configuration: configuration) { client in
            let page = try await client.execute(uri: "/", method: .get, headers: [.init("X-Forwarded-Proto")!: "https"])
            #expect(page.headers[values: .setCookie].allSatisfy { $0.contains("Secure") })
            let plain = try await client.execute(uri: "/", method: .get)
            #expect(plain.headers[values: .setCookie].allSatisfy { !$0.contains("Secure") })
        }
    }

    /// The switch remembers the choice in the browser and, signed in, for the user.
    @Test func theLanguageIsRememberedPerBrowserAndPerUser() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var anonymous = Browser(client, language: "en-GB,en;q=0.9")
            #expect(try await anonymous.get("/").status == .ok && anonymous.page.contains(#"<html lang="en">"#))
            var quechua = Browser(client, language: "quz-PE")
            try await quechua.get("/")
            #expect(quechua.page.contains(#"<html lang="qu">"#))

            var browser = Browser(client, language: "es", session: world.tokens[.community])
            browser.cookies["yachaq_lang"] = nil
            try await browser.get("/home")
            let switched = try await browser.post("/language", [("language", "qu"), ("back", "/home")])
            #expect(switched.status == .seeOther && switched.headers[.location] == "/home")
            try await browser.get("/home")
            #expect(browser.page.contains(#"<html lang="qu">"#))
            // Another browser of the same user, without the cookie, reads Quechua too.
            var other = Browser(client, language: "es", session: try await world.freshToken(.community))
            other.cookies["yachaq_lang"] = nil
            try await other.get("/home")
            #expect(other.page.contains(#"<html lang="qu">"#))
            #expect(try await world.count("SELECT count(*)::int FROM audit_log WHERE action = 'set_language'") == 1)
            // The way back never leaves the site.
            let away = try await browser.post("/language", [("language", "en"), ("back", "//evil.example/")])
            #expect(away.headers[.location] == "/")
        }
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        try await withApp { client in
            for uri in ["/", "/sign-in", "/talents", "/static/yachaq.css", "/home"] {
                let response = try await client.execute(uri: uri, method: .get)
                let policy = try #require(response.headers[.init("Content-Security-Policy")!])
                #expect(
                    policy.contains("frame-ancestors 'none'") && !policy.contains("script-src") && policy.contains("default-src 'none'"))
                #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[.init("Referrer-Policy")!] == "same-origin")
            }
            let page = try await client.execute(uri: "/", method: .get, headers: [.acceptEncoding: "gzip, deflate"])
            #expect(page.headers[.contentEncoding] == "gzip" && page.headers[.vary] == "Accept-Encoding")
        }
    }
}
