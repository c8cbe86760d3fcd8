import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

@testable import YachaqServer

/// Steps that cannot be undone ask first, say what will happen with its figures, and write
/// nothing until the reader says yes.
@Suite struct ConfirmationPageTests {
    static func writes(_ world: World) async throws -> Int {
        try await world.count("SELECT count(*) FROM audit_log")
    }

    @Test func eachContractStepAsksFirstAndWritesNothingUntilYes() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            let contract = "/contracts/\(world.contractA.id)"
            let before = try await Self.writes(world)
            try await browser.get(contract)
            #expect(try await browser.post("\(contract)/transitions", [("to", "active")]).status == .ok)
            #expect(try browser.shows("confirm.contract.active.effect", in: "es"))
            #expect(browser.page.contains(world.contractA.title) && browser.page.contains(#"name="to" value="active""#))
            // Asked again (a reload): still nothing written.
            #expect(try await browser.post("\(contract)/transitions", [("to", "active")]).status == .ok)
            #expect(try await Self.writes(world) == before)
            #expect(try await browser.post("\(contract)/transitions", [("to", "active"), ("confirmed", "yes")]).status == .seeOther)
            #expect(try await Self.writes(world) > before)

            // Finishing with money still owed says how much, in soles as Peru writes them.
            try await browser.get(contract)
            #expect(try await browser.post("\(contract)/transitions", [("to", "completed")]).status == .ok)
            #expect(browser.page.contains("Todavía falta pagar S/\u{00A0}3,000.00"))
        }
    }

    @Test func cancellingNeedsAReasonBesideItsFieldBeforeAnythingIsAsked() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu", session: world.tokens[.community])
            let contract = "/contracts/\(world.contractA.id)"
            try await browser.get(contract)
            let refused = try await browser.post("\(contract)/transitions", [("to", "cancelled"), ("reason", "   ")])
            #expect(refused.status == .unprocessableContent)
            #expect(try browser.shows("error.field.reason", in: "qu") && !browser.page.contains(#"name="confirmed""#))
            #expect(
                try await browser.post("\(contract)/transitions", [("to", "cancelled"), ("reason", "Mana qullqi kanchu")]).status == .ok)
            #expect(browser.page.contains("Mana qullqi kanchu") && browser.page.contains(#"class="danger""#))
            #expect(try await world.count("SELECT count(*) FROM contracts WHERE status = 'cancelled'") == 0)
        }
    }

    @Test func theAssemblysChoiceAsksFirstAndThenNobodyElseCanBeChosen() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            let request = "/requests/\(world.requestA.id)"
            // A second candidate: a technician who agrees to be published, invited by the community.
            let second = world.unpublishedProvider.id
            let published = try await client.send(
                .patch, "/v1/providers/\(second)", token: world.tokens[.staff], json: #"{"consent_to_publish":true}"#)
            #expect(published.status == .ok)
            try await browser.get(request)
            #expect(try await browser.post("\(request)/invite", [("provider_id", second.uuidString)]).status == .seeOther)
            try await browser.get(request)
            // Invited, not "applied" (the technician did not ask), and said of her as a woman.
            #expect(browser.page.contains(#"<span class="status">invitada</span>"#))
            #expect(browser.page.contains("La asamblea eligió a \(world.publishedProvider.fullName)"))
            #expect(Browser.all(#"name="status" value="(selected)""#, in: browser.page).count == 2)
            let application = "/applications/\(world.applicationA.id)"
            #expect(try await browser.post(application, [("status", "selected")]).status == .ok)
            #expect(browser.page.contains("¿La asamblea eligió a \(world.publishedProvider.fullName)?"))
            #expect(try await world.count("SELECT count(*) FROM applications WHERE status = 'selected'") == 0)
            #expect(try await browser.post(application, [("status", "selected"), ("confirmed", "yes")]).status == .seeOther)
            try await browser.get(request)
            #expect(Browser.all(#"name="status" value="(selected)""#, in: browser.page).isEmpty)
        }
    }

    @Test func theBuyerClosesARequestFromItsPageAfterSayingYes() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            let request = "/requests/\(world.requestA.id.uuidString.lowercased())"
            try await browser.get(request)
            #expect(browser.page.contains(#"action="\#(request)/transitions""#))
            let ending = [("to", "closed"), ("reason", "Ya contratamos en la feria")]
            #expect(try await browser.post("\(request)/transitions", ending).status == .ok)
            #expect(try browser.shows("confirm.request.closed.effect", in: "es") && browser.page.contains("Ya contratamos en la feria"))
            #expect(try await world.count("SELECT count(*) FROM service_requests WHERE status = 'closed'") == 0)
            let closed = try await browser.post("\(request)/transitions", ending + [("confirmed", "yes")])
            #expect(closed.status == .seeOther && closed.headers[.location] == "\(request)?done=request_closed")
            #expect(try await world.count("SELECT count(*) FROM service_requests WHERE status = 'closed'") == 1)
            try await browser.get("\(request)?done=request_closed")
            #expect(try browser.shows("done.request_closed", in: "es") && !browser.page.contains(#"action="\#(request)/transitions""#))
        }
    }

    @Test func aRefusedRejectionOpensItsFormWithWhatWasTyped() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            try await browser.get("/requests/\(world.requestA.id)")
            let application = "/applications/\(world.applicationA.id)"
            let refused = try await browser.post(
                application, [("status", "interviewed"), ("held_on", "2027-13-01"), ("panel", "Junta"), ("notes", "Habló bien")])
            #expect(refused.status == .unprocessableContent)
            #expect(browser.page.contains("<details open>") && browser.page.contains(#"value="Junta""#))
            #expect(browser.page.contains("Habló bien</textarea>"))
        }
    }
}

/// GOV.UK's error summary on a refused form: on top, in the order of the fields, each a link
/// to the message beside its field.
@Suite struct ErrorSummaryTests {
    @Test func aRefusedRequestListsItsErrorsInTheOrderOfTheFields() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            try await browser.get("/new-request")
            let refused = try await browser.post(
                "/new-request", [("title", "x"), ("budget", "8,00,000"), ("starts_on", "2027-06-01"), ("ends_on", "2027-05-01")])
            #expect(refused.status == .unprocessableContent)
            let links = Browser.all(##"<li><a href="#([^"]+)">"##, in: browser.page)
            #expect(links.first == "e-title" && links.contains("e-budget"), "\(links)")
            let positions = links.compactMap { browser.page.range(of: #"id="\#($0)""#)?.lowerBound }
            #expect(positions.count == links.count && positions == positions.sorted(), "the summary follows the page: \(links)")
            #expect(browser.page.range(of: "error-summary")!.lowerBound < browser.page.range(of: #"id="e-title""#)!.lowerBound)
            #expect(browser.page.contains(#"value="8,00,000""#))  // what was typed stays
        }
    }
}

/// The banner after a write names only a text of the tables: nothing from the address is shown.
@Suite struct SuccessBannerTests {
    @Test(
        arguments: [
            ("/contracts/x?done=payment", "payment"), ("/requests/x?a=1&done=request_posted#applications", "request_posted"),
            ("/home?done=", nil), ("/home?done=%3Cscript%3E", nil), ("/home?done=<b>", nil), ("/home", nil), ("/home?x=done=payment", nil),
        ] as [(String, String?)])
    func theDoneOfAnAddressIsAKeyOrNothing(path: String, key: String?) {
        #expect(PageKit.done(in: path) == key)
    }

    @Test func anUnknownDoneShowsNoBanner() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            try await browser.get("/home?done=nothing_like_it")
            #expect(!browser.page.contains(#"class="success""#))
            try await browser.get("/home?done=payment")
            #expect(try browser.shows("done.payment", in: "es"))
        }
    }
}
