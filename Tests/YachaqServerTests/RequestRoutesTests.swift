import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

@Suite struct RequestRoutesTests {
    @Test func theCommunityPostsInterviewsAndChooses() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let community = world.tokens[.community]
            let posted = try await client.send(
                .post, "/v1/requests", token: community,
                json: """
                    {"title":"Esquila y clasificación de fibra de alpaca","skills":["camelids.fibre"],"languages":["que"],"ubigeo":"081206",
                     "starts_on":"2027-03-01","ends_on":"2027-04-15","budget_cents":450000,"preferred_gender":"female"}
                    """)
            #expect(posted.status == .created)
            let request = try posted.object()
            let id = try #require(request["id"] as? String)
            #expect(request["organization_id"] as? String == world.communityA.id.uuidString.lowercased())
            #expect(request["status"] as? String == "open")

            let shortlist = try await client.send(.get, "/v1/requests/\(id)/matches", token: community).items()
            let names = shortlist.compactMap { ($0["provider"] as? [String: Any])?["full_name"] as? String }
            #expect(names == ["Eusebia Quispe Mamani"])  // the two others are unpublished
            #expect((shortlist.first?["reasons"] as? [[String: Any]])?.count == 8)
            // Each reason has its code and figures, and its note in the reader's language.
            for (language, sentence) in [("es", "Vive a "), ("qu", " km karupi tiyan."), ("en", "Lives ")] {
                var headers = HTTPFields([.init(name: .authorization, value: "Bearer \(try #require(community))")])
                headers[.acceptLanguage] = language
                let explained = try await client.execute(uri: "/v1/requests/\(id)/matches", method: .get, headers: headers).items()
                let distance = try #require(
                    (explained.first?["reasons"] as? [[String: Any]])?.first { $0["factor"] as? String == "distance" })
                #expect(distance["code"] as? String == "distance" && (distance["params"] as? [String: String])?["km"] != nil)
                #expect((distance["note"] as? String)?.contains(sentence) == true, "\(language): \(distance["note"] ?? "")")
            }

            let invited = try await client.send(
                .post, "/v1/requests/\(id)/applications", token: community, json: #"{"provider_id":"\#(world.publishedProvider.id)"}"#
            ).object()
            #expect(invited["invited"] as? Bool == true)
            let application = try #require(invited["id"] as? String)
            #expect(
                try await client.send(.patch, "/v1/applications/\(application)", token: community, json: #"{"status":"shortlisted"}"#)
                    .status == .ok)
            let interviewed = try await client.send(
                .patch, "/v1/applications/\(application)", token: community,
                json: """
                    {"status":"interviewed","interview":{"held_on":"2027-02-10","panel":"Presidente, secretaria y 12 comuneros",
                     "notes":"Explicó la clasificación en quechua"}}
                    """
            ).object()
            #expect((interviewed["interview"] as? [String: Any])?["panel"] as? String == "Presidente, secretaria y 12 comuneros")
            #expect(
                try await client.send(.patch, "/v1/applications/\(application)", token: community, json: #"{"status":"selected"}"#).status
                    == .ok)
            #expect(try await client.send(.get, "/v1/requests/\(id)").object()["status"] as? String == "awarded")

            // Awarded: no second choice, no new applications.
            let second = try await client.send(
                .post, "/v1/requests/\(id)/applications", token: world.tokens[.provider],
                json: #"{"provider_id":"\#(world.ownProvider.id)"}"#)
            _ = try second.problem(.conflict)
            let audit = try await client.send(.get, "/v1/audit?entity=application&id=\(application)", token: world.tokens[.staff]).items()
            #expect(audit.map { $0["action"] as? String } == ["selected", "interviewed", "shortlisted", "invite"])
        }
    }

    @Test func aSecondSelectionIs409() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            // Only published profiles can be invited.
            _ = try await client.send(
                .patch, "/v1/providers/\(world.unpublishedProvider.id)", token: world.tokens[.staff], json: #"{"consent_to_publish":true}"#)
            let other = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community],
                json: #"{"provider_id":"\#(world.unpublishedProvider.id)"}"#
            ).object()
            let otherID = try #require(other["id"] as? String)
            #expect(
                try await client.send(
                    .patch, "/v1/applications/\(world.applicationA.id)", token: world.tokens[.community], json: #"{"status":"selected"}"#
                ).status == .ok)
            _ = try await client.send(
                .patch, "/v1/applications/\(otherID)", token: world.tokens[.community], json: #"{"status":"selected"}"#
            ).problem(.conflict)
        }
    }

    /// Two members of the assembly choosing two technicians at the same moment: one wins.
    @Test func concurrentSelectionsLeaveOne() async throws {
        let world = try await World.make()
        let statuses = try await withApp(on: world.endpoint) { client in
            // Only published profiles can be invited.
            _ = try await client.send(
                .patch, "/v1/providers/\(world.unpublishedProvider.id)", token: world.tokens[.staff], json: #"{"consent_to_publish":true}"#)
            let other = try await client.send(
                .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.staff],
                json: #"{"provider_id":"\#(world.unpublishedProvider.id)"}"#
            ).object()
            let ids = [world.applicationA.id.uuidString, try #require(other["id"] as? String)]
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for id in ids {
                    group.addTask {
                        Int(
                            try await client.send(
                                .patch, "/v1/applications/\(id)", token: world.tokens[.community], json: #"{"status":"selected"}"#
                            ).status.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.sorted() == [200, 409])
        #expect(
            try await world.count("SELECT count(*) FROM applications WHERE request_id = \(world.requestA.id) AND status = 'selected'") == 1)
    }

    @Test(arguments: [
        (
            #"{"title":"Riego","skills":["water.nothing"],"languages":["quz"],"ubigeo":"081206","starts_on":"2027-03-01","#
                + #""ends_on":"2027-04-15","budget_cents":1}"#,
            "skills[0]"
        ),
        (
            #"{"title":"Riego","skills":["water"],"languages":["xx"],"ubigeo":"081206","starts_on":"2027-03-01","#
                + #""ends_on":"2027-04-15","budget_cents":1}"#,
            "languages[0]"
        ),
        (
            #"{"title":"Riego","skills":["water"],"languages":["quz"],"ubigeo":"999999","starts_on":"2027-03-01","#
                + #""ends_on":"2027-04-15","budget_cents":1}"#,
            "ubigeo"
        ),
        (
            #"{"title":"Riego","skills":["water"],"languages":["quz"],"ubigeo":"081206","starts_on":"2027-03-01","budget_cents":1}"#,
            "ends_on"
        ),
    ])
    func badRequestsAre422AndWriteNothing(_ body: String, field: String) async throws {
        let world = try await World.make()
        let before = try await world.count("SELECT (SELECT count(*) FROM service_requests) + (SELECT count(*) FROM audit_log)")
        try await withApp(on: world.endpoint) { client in
            let problem = try await client.send(.post, "/v1/requests", token: world.tokens[.community], json: body).problem(
                .unprocessableContent)
            #expect((problem["errors"] as? [[String: String]])?.map { $0["field"] } == [field])
        }
        #expect(try await world.count("SELECT (SELECT count(*) FROM service_requests) + (SELECT count(*) FROM audit_log)") == before)
    }

    @Test func badStepsAreRefused() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/applications/\(world.applicationA.id)"
            _ = try await client.send(.patch, path, token: world.tokens[.community], json: #"{"status":"interviewed"}"#).problem(
                .unprocessableContent)
            _ = try await client.send(.patch, path, token: world.tokens[.community], json: #"{"status":"rejected"}"#).problem(
                .unprocessableContent)
            #expect(
                try await client.send(
                    .patch, path, token: world.tokens[.community], json: #"{"status":"rejected","reason":"No habla la variante"}"#
                ).status == .ok)
            _ = try await client.send(.patch, path, token: world.tokens[.community], json: #"{"status":"selected"}"#).problem(.conflict)
        }
    }

    @Test func openRequestsAreFoundNearAndBySkill() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let near = try await client.send(.get, "/v1/requests?status=open&near=081206&radius_km=30").items()
            #expect(near.map { $0["title"] as? String } == ["Esquila y clasificación de fibra"])
            let bySkill = try await client.send(.get, "/v1/requests?skill=camelids").items()
            #expect(bySkill.count == 2)
            #expect(try await client.send(.get, "/v1/requests?skill=water").items().isEmpty)
        }
    }
}
