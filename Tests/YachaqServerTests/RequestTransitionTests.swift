import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// The buyer cancels or closes a request (`POST /v1/requests/{id}/transitions`).
@Suite struct RequestTransitionTests {
    @Test func cancellingSaysWhyIsFinalAndStopsApplications() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/requests/\(world.requestA.id)/transitions"
            let cancelled = try await client.send(
                .post, path, token: world.tokens[.community],
                json: #"{"to":"cancelled","reason":"  La asamblea decidió postergar la campaña  "}"#
            ).object()
            #expect(cancelled["status"] as? String == "cancelled")
            #expect(cancelled["status_reason"] as? String == "La asamblea decidió postergar la campaña")
            _ = try await client.send(.post, path, token: world.tokens[.community], json: #"{"to":"closed"}"#).problem(.conflict)
            _ = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.provider],
                json: #"{"provider_id":"\#(world.ownProvider.id)"}"#
            ).problem(.conflict)
            let audit = try await client.send(.get, "/v1/audit?entity=request&id=\(world.requestA.id)", token: world.tokens[.staff]).items()
            let entry = try #require(audit.first { $0["action"] as? String == "cancel" })
            #expect((entry["before"] as? [String: Any])?["status"] as? String == "open")
            #expect((entry["after"] as? [String: Any])?["status"] as? String == "cancelled")
        }
    }

    /// Closed after the award: the selected technician withdrawing later does not reopen it.
    @Test func aClosedRequestStaysClosed() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let application = "/v1/applications/\(world.applicationA.id)"
            #expect(
                try await client.send(.patch, application, token: world.tokens[.community], json: #"{"status":"selected"}"#).status == .ok)
            let closed = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/transitions", token: world.tokens[.community],
                json: #"{"to":"closed","reason":"Contrato firmado"}"#
            ).object()
            #expect(closed["status"] as? String == "closed")
            // Staff record the withdrawal for the technician (who has no account in this world).
            #expect(try await client.send(.patch, application, token: world.tokens[.staff], json: #"{"status":"withdrawn"}"#).status == .ok)
            #expect(try await client.send(.get, "/v1/requests/\(world.requestA.id)").object()["status"] as? String == "closed")
        }
    }

    @Test(arguments: [#"{"to":"open"}"#, #"{"to":"awarded"}"#, #"{"to":"finished"}"#, #"{}"#])
    func onlyCancelledOrClosedAreAsked(_ body: String) async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let response = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/transitions", token: world.tokens[.community], json: body)
            #expect([HTTPResponse.Status.unprocessableContent, .badRequest].contains(response.status))
            #expect(try await client.send(.get, "/v1/requests/\(world.requestA.id)").object()["status"] as? String == "open")
        }
    }
}

/// A contract made from a request, cancelled or not, is found from the request: by the API's
/// filter and by a link on the request's page.
@Suite struct RequestContractsTests {
    @Test func aCancelledContractStaysLinkedFromItsRequest() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        try await withApp(on: world.endpoint) { client in
            let body = ContractRoutesTests.directContract(world, provider: world.publishedProvider.id, requestID: world.requestA.id)
            let contract = try await client.send(.post, "/v1/contracts", token: community, json: body).object()
            let id = try #require(contract["id"] as? String)
            _ = try await client.send(
                .post, "/v1/contracts/\(id)/transitions", token: community, json: #"{"to":"cancelled","reason":"Otra fecha"}"#
            ).object()
            let listed = try await client.send(.get, "/v1/contracts?request_id=\(world.requestA.id)", token: community).items()
            #expect(listed.map { $0["id"] as? String } == [id])
            let other = try await client.send(.get, "/v1/contracts?request_id=\(world.requestB.id)", token: community).items()
            #expect(other.isEmpty)
            _ = try await client.send(.get, "/v1/contracts?request_id=nope", token: community).problem(.unprocessableContent)
            var browser = Browser(client, language: "es", session: community)
            let page = String(buffer: try await browser.get("/requests/\(world.requestA.id)").body)
            #expect(page.contains(#"<section id="contracts">"#) && page.contains(#"href="/contracts/\#(id)""#))
            #expect(page.contains("anulado"))
        }
    }
}

/// The buyer widens an open request (`PATCH /v1/requests/{id}`): the shortlist follows, the
/// audit keeps before and after, and a closed request is not changed.
@Suite struct RequestEditTests {
    @Test func anOpenRequestIsWidenedAndAClosedOneIsNot() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/requests/\(world.requestA.id)"
            let before = try await client.send(.get, path, token: community).object()
            let edited = try await client.send(
                .patch, path, token: community,
                json: #"{"languages":["que","spa"],"budget_cents":900000,"description":null,"families":40}"#
            ).object()
            #expect(edited["languages"] as? [String] == ["que", "spa"] && edited["budget_cents"] as? Int == 900_000)
            #expect(edited["families"] as? Int == 40 && edited["title"] as? String == before["title"] as? String)
            #expect(edited["skills"] as? [String] == before["skills"] as? [String])
            let audit = try await client.send(.get, "/v1/audit?entity=request&id=\(world.requestA.id)", token: world.tokens[.staff]).items()
            let entry = try #require(audit.first { $0["action"] as? String == "edit" })
            #expect((entry["before"] as? [String: Any])?["budget_cents"] as? Int == before["budget_cents"] as? Int)
            #expect((entry["after"] as? [String: Any])?["budget_cents"] as? Int == 900_000)
            // Refused, and nothing written: an unknown member, a district that does not exist, dates backwards.
            for body in [#"{"status":"closed"}"#, #"{"ubigeo":"999999"}"#, #"{"starts_on":"2027-09-01","ends_on":"2027-08-01"}"#] {
                _ = try await client.send(.patch, path, token: community, json: body).problem(.unprocessableContent)
            }
            #expect(try await client.send(.get, path, token: community).object()["budget_cents"] as? Int == 900_000)
            _ = try await client.send(.post, path + "/transitions", token: community, json: #"{"to":"closed","reason":"Ya no"}"#).object()
            _ = try await client.send(.patch, path, token: community, json: #"{"budget_cents":1}"#).problem(.conflict)
        }
    }
}

/// The buyer changes a request from its page: the form comes filled with the request, a
/// refusal keeps what was typed, a change is said in a banner, and a request nobody fits says
/// what to widen, with the way to do it.
@Suite struct RequestEditPageTests {
    @Test func theBuyerWidensARequestFromItsPage() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "es", session: world.tokens[.community])
            let request = "/requests/\(world.requestA.id.uuidString.lowercased())"
            #expect(try await browser.get(request + "/edit").status == .ok)
            #expect(browser.page.contains(#"value="Esquila y clasificación de fibra""#) && browser.page.contains(#"value="5000""#))
            #expect(browser.page.contains(#"value="camelids.fibre" checked"#) && browser.page.contains(#"action="\#(request)/edit""#))
            let refused = try await browser.post(
                request + "/edit", [("title", "Esquila"), ("skill", "camelids.fibre"), ("language", "que"), ("budget", "seis mil")])
            #expect(refused.status == .unprocessableContent && browser.page.contains(#"value="seis mil""#))
            #expect(browser.page.contains(##"href="#e-budget""##))
            let saved = try await browser.post(
                request + "/edit",
                [
                    ("title", "Esquila y clasificación de fibra"), ("skill", "camelids"), ("language", "que"), ("district", "081206"),
                    ("starts_on", "2027-03-01"), ("ends_on", "2027-04-30"), ("budget", "S/ 6,000.00"),
                ])
            #expect(saved.status == .seeOther && saved.headers[.location] == request + "?done=request_edited")
            try await browser.get(request + "?done=request_edited")
            #expect(browser.page.contains("Pedido cambiado") && browser.page.contains("S/\u{00A0}6,000.00"))
            // Nobody speaks Aymara near Chillihuani: the empty shortlist says what to widen.
            _ = try await client.send(
                .patch, "/v1/requests/\(world.requestA.id)", token: world.tokens[.community], json: #"{"languages":["aym"]}"#
            ).object()
            try await browser.get(request)
            #expect(browser.page.contains("Para encontrar a alguien") && browser.page.contains(#"href="\#(request)/edit""#))
        }
    }
}
