import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// The public search of talents: pages of 30 with where they sit in the list, and a place
/// that names nothing said beside its field.
@Suite struct PublicSearchPageTests {
    @Test func resultsComeInPagesThatSayWhereTheySit() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            // 35 published technicians in Cusco (the fixture's one lives in Chillihuani, beyond 50 km).
            for index in 0..<35 {
                let created = try await client.send(
                    .post, "/v1/providers", token: world.tokens[.staff],
                    json:
                        #"{"full_name":"Yachachiq \#(index)","kind":"yachachiq","gender":"male","home_ubigeo":"080101","#
                        + #""daily_rate_cents":9000,"travel_radius_km":30,"consent_to_publish":true}"#)
                #expect(created.status == .created, "\(String(buffer: created.body))")
            }
            var browser = Browser(client, language: "es")
            try await browser.get("/talents?place=cusco&district=080101")
            #expect(browser.page.contains("Del 1 al 30"))
            let next = try #require(Browser.first(#"href="(/talents\?[^"]+)""#, in: browser.page))
            try await browser.get(next.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(browser.page.contains("Del 31 al 35") && browser.page.contains("Cerca de"))
            #expect(Browser.first(#"href="(/talents\?[^"]+after[^"]+)""#, in: browser.page) == nil)
        }
    }

    @Test func aPlaceThatNamesNothingIsSaidBesideItsFieldAndFindsNobody() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu")
            try await browser.get("/talents?place=Xyzzyville")
            #expect(try browser.shows("talents.place_not_found", in: "qu"))
            #expect(browser.page.contains(#"aria-invalid="true""#) && !browser.page.contains(world.publishedProvider.fullName))
        }
    }
}
