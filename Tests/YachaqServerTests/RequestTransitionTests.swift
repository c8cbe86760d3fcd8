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
