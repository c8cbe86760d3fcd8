import Foundation
import HummingbirdTesting
import Testing
import YachaqDomain
import YachaqTestSupport

/// What Yachaq tells its users, written with the event that causes it, and how each user is reached.
@Suite struct NotificationRoutesTests {
    /// The world's own application (the published technician's, to community A's request)
    /// told community A's user; an invitation tells the invited technician, in their language.
    @Test func anApplicationTellsTheCommunityAndAnInvitationTheTechnician() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let told = try await client.send(.get, "/v1/notifications", token: world.tokens[.community]).items()
            #expect(told.map { $0["kind"] as? String } == ["applied"])
            #expect(told.first?["subject"] as? String == world.applicationA.id.uuidString.lowercased())
            #expect(
                (told.first?["text"] as? String)?.hasPrefix("Eusebia Quispe Mamani postuló a «Esquila y clasificación de fibra»") == true)
            #expect(try await client.send(.get, "/v1/notifications", token: world.tokens[.municipality]).items().isEmpty)

            let publish = #"{"consent_to_publish":true}"#  // only a published profile can be invited
            let published = try await client.send(
                .patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider], json: publish)
            #expect(published.status == .ok)
            let invite = #"{"provider_id":"\#(world.ownProvider.id)"}"#
            let invited = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community], json: invite)
            #expect(invited.status == .created)
            let seen = try await client.send(.get, "/v1/notifications", token: world.tokens[.provider]).items()
            #expect(seen.map { $0["kind"] as? String } == ["invited"])
            let params = try #require(seen.first?["params"] as? [String: String])
            #expect(params["who"] == world.communityA.name && params["starts_on"] == "2027-03-01" && params["ends_on"] == "2027-04-30")
            #expect((seen.first?["text"] as? String)?.contains("del 1 de marzo de 2027 al 30 de abril de 2027") == true)

            let quechua = #"{"language":"qu"}"#
            #expect(try await client.send(.put, "/v1/users/me/contact", token: world.tokens[.provider], json: quechua).status == .ok)
            let read = try await client.send(.get, "/v1/notifications", token: world.tokens[.provider]).items()
            #expect((read.first?["text"] as? String)?.contains("minkakusunki") == true)
        }
    }

    /// A refused write tells nobody: no notification without its event.
    @Test func aRefusedApplicationTellsNobody() async throws {
        let world = try await World.make()
        let before = try await world.count("SELECT count(*)::int FROM notifications")
        try await withApp(on: world.endpoint) { client in
            let hidden = #"{"provider_id":"\#(world.unpublishedProvider.id)"}"#  // not published: cannot be invited
            let refused = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community], json: hidden)
            #expect(refused.status == .unprocessableContent)
            let twice = #"{"provider_id":"\#(world.publishedProvider.id)"}"#  // applied already: the same pair twice
            let again = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community], json: twice)
            #expect(again.status == .conflict)
        }
        #expect(try await world.count("SELECT count(*)::int FROM notifications") == before)
    }

    @Test func aPageAtATimeNewestFirst() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let applies = #"{"provider_id":"\#(world.ownProvider.id)","note":"Vivo cerca"}"#  // the second, beside the world's
            let applied = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.provider], json: applies)
            #expect(applied.status == .created)
            let all = try await client.send(.get, "/v1/notifications?limit=100", token: world.tokens[.community]).items()
            let first = try await client.send(.get, "/v1/notifications?limit=1", token: world.tokens[.community]).object()
            let cursor = try #require(first["next_cursor"] as? String)
            let rest = try await client.send(.get, "/v1/notifications?limit=100&cursor=\(cursor)", token: world.tokens[.community]).items()
            let ids = all.compactMap { $0["id"] as? Int }
            #expect(ids == ids.sorted(by: >))
            #expect(
                ((first["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int } + rest.compactMap { $0["id"] as? Int } == ids)
        }
    }

    @Test func contactSettingsTakePeruvianMobilesAndNeedOneForSMS() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let token = world.tokens[.community]
            let fresh = try await client.send(.get, "/v1/users/me/contact", token: token).object()
            #expect(fresh["phone"] is NSNull && fresh["sms"] as? Bool == false && fresh["language"] as? String == "es")
            try await client.send(.put, "/v1/users/me/contact", token: token, json: #"{"sms":true}"#).problem(.unprocessableContent)
            try await client.send(.put, "/v1/users/me/contact", token: token, json: #"{"phone":"01 234 5678"}"#)
                .problem(.unprocessableContent)
            let set = try await client.send(.put, "/v1/users/me/contact", token: token, json: #"{"phone":"987 654 321","sms":true}"#)
            #expect(set.status == .ok)
            #expect(try set.object()["phone"] as? String == "+51987654321")
            let removed = try await client.send(.put, "/v1/users/me/contact", token: token, json: #"{"phone":"","sms":false}"#)
            #expect(try removed.object()["phone"] is NSNull)
        }
        #expect(try await world.count("SELECT count(*)::int FROM audit_log WHERE action = 'set_contact'") == 2)
    }
}

extension NotificationRoutesTests {
    /// The messages page says what the API says, in the reader's language, with a link to the request.
    @Test func theMessagesPageShowsEachWithItsRequest() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            let spanish = try await browser.get("/messages")
            #expect(spanish.status == .ok)
            #expect(browser.page.contains("Eusebia Quispe Mamani postuló a «Esquila y clasificación de fibra»"))
            #expect(browser.page.contains("href=\"/requests/\(world.requestA.id.uuidString.lowercased())\""))
            var quechua = Browser(client, language: "qu", session: world.tokens[.community])
            let read = try await quechua.get("/messages")
            #expect(read.status == .ok)
            #expect(quechua.page.contains("llamkaypaq mañakun"))
        }
    }
}
