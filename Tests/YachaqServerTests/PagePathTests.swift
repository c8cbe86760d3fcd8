import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// The community's whole path and the technician's, through the pages' forms only, checked
/// against what the API then reads.
@Suite struct PagePathTests {
    @Test func theCommunityGoesFromRequestToRatingOnPages() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu", session: world.tokens[.community])
            try await browser.get("/new-request")
            // The district is found by name, without JavaScript: the form comes back with the
            // places it matches, and what was typed is kept.
            let finding = try await browser.post("/new-request", [("title", "Esquila 2027"), ("place", "cusipata"), ("action", "find")])
            #expect(finding.status == .ok && browser.page.contains(#"value="081206""#) && browser.page.contains("Esquila 2027"))
            let posted = try await browser.post(
                "/new-request",
                [
                    ("title", "Esquila 2027"), ("district", "081206"), ("skill", "camelids.fibre"), ("language", "que"),
                    ("starts_on", "2027-06-01"), ("ends_on", "2027-06-30"), ("budget", "4500,50"), ("families", "40"),
                    ("action", "post"),
                ])
            let landing = try #require(posted.headers[.location])
            // The request's page says it is published, in a banner, once the form has gone.
            try await browser.get(landing)
            #expect(try browser.shows("done.request_posted", in: "qu") && browser.page.contains(#"class="success" role="status""#))
            let location = String(landing.prefix { $0 != "?" })
            let requestID = String(location.dropFirst("/requests/".count))
            let request = try await client.send(.get, "/v1/requests/\(requestID)", token: world.tokens[.community]).object()
            #expect(request["budget_cents"] as? Int == 450_050 && request["families"] as? Int == 40)

            try await browser.get(location)
            #expect(browser.page.contains(world.publishedProvider.fullName))  // on the shortlist, with its reasons
            #expect(browser.page.contains("Tukuy mañakusqata yachan") || browser.page.contains("yachan"))
            #expect(
                try await browser.post("\(location)/invite", [("provider_id", world.publishedProvider.id.uuidString)]).status == .seeOther)
            try await browser.get(location)
            let application = try #require(Browser.first(#"action="/applications/([0-9a-f-]+)""#, in: browser.page))
            let interviewed = try await browser.post(
                "/applications/\(application)",
                [("status", "interviewed"), ("held_on", "2027-05-10"), ("panel", "Junta directiva"), ("notes", "Allinta rimarqan")])
            #expect(interviewed.status == .seeOther)
            try await browser.get(location)
            #expect(try await browser.postConfirmed("/applications/\(application)", [("status", "selected")]).status == .seeOther)

            try await browser.get("\(location)/contract?application=\(application)")
            #expect(browser.page.contains(#"value="4500.50""#))  // prefilled from the request's budget
            let fields = [
                ("application", application), ("starts_on", "2027-06-01"), ("ends_on", "2027-06-30"), ("amount", "4500.50"),
                ("fund_public_transfer", "3000"), ("source_public_transfer", world.agency.id.uuidString.lowercased()),
                ("fund_counterpart_cash", "1000,50"), ("fund_counterpart_in_kind", "500"),
                ("milestone_title_0", "Fibra clasificada"), ("milestone_due_0", "2027-06-30"),
            ]
            // Shares that do not add up: refused next to the funding, in Quechua, typed values kept.
            var wrong = fields
            wrong[7] = ("fund_counterpart_in_kind", "400")
            let refused = try await browser.post("\(location)/contract", wrong)
            #expect(refused.status == .unprocessableContent)
            #expect(try browser.shows("error.field.funding", in: "qu"))
            #expect(browser.page.contains(#"value="1000,50""#))
            let created = try await browser.post("\(location)/contract", fields)
            let contract = String(try #require(created.headers[.location]).prefix { $0 != "?" })
            for step in ["signed", "active"] {
                try await browser.get(contract)
                #expect(try await browser.postConfirmed("\(contract)/transitions", [("to", step)]).status == .seeOther)
            }
            try await browser.get(contract)
            let line = try #require(Browser.first(#"<option value="([^"]+\|public_transfer)""#, in: browser.page))
            let key = try #require(Browser.first(#"name="idempotency" value="([^"]+)""#, in: browser.page))
            let payment = [
                ("line", line), ("amount", "S/ 3,000.00"), ("paid_on", "2027-06-02"), ("method", "banco_de_la_nacion"),
                ("idempotency", key),
            ]
            // Asked first, then sent twice (a weak connection, a second tap): one payment.
            #expect(try await browser.postConfirmed("\(contract)/payments", payment).status == .seeOther)
            #expect(try await browser.post("\(contract)/payments", payment + [("confirmed", "yes")]).status == .seeOther)
            // More than the line has left: refused, nothing recorded.
            try await browser.get(contract)
            let over = [("line", line), ("amount", "1"), ("paid_on", "2027-06-02"), ("method", "cash"), ("idempotency", "another")]
            #expect(try await browser.post("\(contract)/payments", over).status == .unprocessableContent)
            // Said at the amount, with the most that can be paid now and the balance, not as a clash at the top.
            #expect(browser.page.contains(#"<p class="error" id="e-amount">"#) && browser.page.contains(##"href="#e-amount""##))
            #expect(browser.page.contains("S/\u{00A0}0.00") && browser.page.contains("S/\u{00A0}1,500.50"))
            let contractID = String(contract.dropFirst("/contracts/".count))
            let payments = try await client.send(.get, "/v1/contracts/\(contractID)/payments", token: world.tokens[.community]).items()
            #expect(payments.map { $0["amount_cents"] as? Int } == [300_000])
            try await browser.get(contract)
            #expect(browser.page.contains("S/\u{00A0}1,500.50"))  // the balance, as Peru writes it, never broken after S/
            let receipt = try #require(Browser.first(#"href="([^"]+/receipt)""#, in: browser.page))
            #expect(try await browser.get(receipt).status == .ok && browser.page.contains("S/\u{00A0}3,000.00"))
            // Numbered to be read over the phone: the contract's number and the payment's place.
            #expect(Browser.first(#"<strong>(R-[0-9]{6}-01)</strong>"#, in: browser.page) != nil)
            #expect(!browser.page.contains("opcional") && !browser.page.contains("munaspaqa"))

            try await browser.get(contract)
            #expect(try await browser.postConfirmed("\(contract)/transitions", [("to", "completed")]).status == .seeOther)
            try await browser.get(contract)
            let rated = try await browser.post(
                "\(contract)/rating",
                [("technical", "5"), ("communication", "4"), ("punctuality", "5"), ("results", "4"), ("again", "yes")])
            #expect(rated.status == .seeOther)
            let rating = try await client.send(.get, "/v1/contracts/\(contractID)/rating", token: world.tokens[.community]).object()
            #expect(rating["technical"] as? Int == 5 && rating["would_hire_again"] as? Bool == true)
        }
    }

    @Test func refusedFieldsAreShownBesideThemWithWhatWasTyped() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu", session: world.tokens[.community])
            try await browser.get("/new-request")
            let before = try await world.count("SELECT count(*)::int FROM service_requests")
            let refused = try await browser.post(
                "/new-request",
                [("title", "Yaku"), ("budget", "mil soles"), ("starts_on", "2027-06-30"), ("ends_on", "2027-06-01"), ("action", "post")])
            #expect(refused.status == .unprocessableContent)
            for key in ["error.field.budget", "error.field.district", "error.field.skill", "error.field.language", "error.field.ends_on"] {
                #expect(try browser.shows(key, in: "qu"), "no \(key)")
            }
            #expect(browser.page.contains(#"value="mil soles""#) && browser.page.contains(#"value="Yaku""#))
            #expect(try await world.count("SELECT count(*)::int FROM service_requests") == before)
        }
    }

    @Test func theTechnicianAppliesEditsTheProfileAndAnswersAReview() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "en", session: world.tokens[.provider])
            try await browser.get("/requests/\(world.requestA.id)")
            #expect(try await browser.post("/requests/\(world.requestA.id)/apply", [("note", "I shear alpacas")]).status == .seeOther)
            try await browser.get("/requests/\(world.requestA.id)")
            let application = try #require(Browser.first(#"action="/applications/([0-9a-f-]+)""#, in: browser.page))
            #expect(try await browser.postConfirmed("/applications/\(application)", [("status", "withdrawn")]).status == .seeOther)
            let applications = try await client.send(
                .get, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community])
            #expect(try applications.items().contains { $0["id"] as? String == application && $0["status"] as? String == "withdrawn" })

            try await browser.get("/profile/edit")
            #expect(browser.page.contains(#"value="Sabina Ccama Huillca""#))
            let saved = try await browser.post(
                "/profile/edit",
                [
                    ("full_name", "Sabina Ccama Huillca"), ("rate", "95"), ("radius", "60"), ("live_in", "yes"),
                    ("language_0", "quz"), ("speaking_0", "4"), ("understanding_0", "4"), ("reading_0", "3"), ("writing_0", "2"),
                    ("language_1", "spa"), ("speaking_1", "3"), ("understanding_1", "3"), ("reading_1", "3"), ("writing_1", "3"),
                    ("skill_0", "camelids.fibre"), ("skill_level_0", "4"), ("years_0", "7"),
                ])
            #expect(saved.status == .seeOther)
            let profile = try await client.send(.get, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider]).object()
            #expect(profile["daily_rate_cents"] as? Int == 9_500 && profile["travel_radius_km"] as? Int == 60)
            #expect((profile["languages"] as? [[String: Any]])?.count == 2)
            // A refused form keeps a language and a skill added in it, and saving after the fix keeps them.
            let added = [
                ("full_name", "Sabina Ccama Huillca"), ("radius", "60"), ("language_0", "quz"), ("speaking_0", "4"),
                ("language_1", "aym"), ("speaking_1", "2"), ("skill_0", "camelids.fibre"), ("skill_level_0", "4"),
                ("skill_1", "camelids.health"), ("skill_level_1", "2"), ("years_1", "3"),
            ]
            let badRate = try await browser.post("/profile/edit", added + [("rate", "-3")])
            #expect(badRate.status == .unprocessableContent && browser.page.contains(#"value="-3""#))
            #expect(browser.page.contains(#"value="aym" selected"#) && browser.page.contains(#"value="camelids.health" selected"#))
            #expect(try await browser.post("/profile/edit", added + [("rate", "95")]).status == .seeOther)
            let kept = try await client.send(.get, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider]).object()
            #expect((kept["languages"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["quz", "aym"])
            #expect((kept["skills"] as? [[String: Any]])?.count == 2)
            // Moving house: the district found by part of its name, picked, saved.
            #expect(
                try await browser.post("/profile/edit", added + [("rate", "95"), ("place", "ocongate"), ("action", "find")]).status == .ok)
            #expect(browser.page.contains(#"value="081210""#) && browser.page.contains(#"value="aym" selected"#))
            #expect(try await browser.post("/profile/edit", added + [("rate", "95"), ("district", "081210")]).status == .seeOther)
            let moved = try await client.send(.get, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider]).object()
            #expect(moved["home_ubigeo"] as? String == "081210")

            try await browser.get("/home")
            #expect(browser.page.contains(#"action="/reviews/\#(world.reviewOfOwn.id.uuidString.lowercased())/answer""#))
            let answered = try await browser.post("/reviews/\(world.reviewOfOwn.id)/answer", [("text", "I took the course in June.")])
            #expect(answered.status == .seeOther)
            let reviews = try await client.send(.get, "/v1/providers/\(world.ownProvider.id)/reviews", token: world.tokens[.provider])
                .items()
            #expect(reviews.first?["answer"] as? String == "I took the course in June.")
        }
    }
}
