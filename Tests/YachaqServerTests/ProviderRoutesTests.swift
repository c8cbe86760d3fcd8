import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

@Suite struct ProviderRoutesTests {
    /// A good profile as JSON, with the members of `overrides` (a JSON object) replacing its own.
    static func profile(_ overrides: String = "{}") -> String {
        let base =
            #"{"full_name":"Rosa Quispe Mamani","kind":"yachachiq","gender":"female","home_ubigeo":"080101","#
            + #""daily_rate_cents":8000,"travel_radius_km":50,"#
            + #""languages":[{"code":"quz","speaking":4,"understanding":4,"reading":2,"writing":1}],"#
            + #""skills":[{"code":"water.sprinkler","level":3,"years":5}]}"#
        var object = try! JSONSerialization.jsonObject(with: Data(base.utf8)) as! [String: Any]
        object.merge(try! JSONSerialization.jsonObject(with: Data(overrides.utf8)) as! [String: Any]) { $1 }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test(arguments: [
        (#"{"national_id":"1234"}"#, "national_id"),
        (#"{"home_ubigeo":"999999"}"#, "home_ubigeo"),
        (#"{"languages":[{"code":"xyz","speaking":3,"understanding":3,"reading":3,"writing":3}]}"#, "languages[0].code"),
        (#"{"skills":[{"code":"water.nothing","level":3,"years":5}]}"#, "skills[0].code"),
        (#"{"languages":[{"code":"quz","speaking":7,"understanding":3,"reading":3,"writing":3}]}"#, "languages[0].speaking"),
        (#"{"daily_rate_cents":-100}"#, "daily_rate_cents"),
        (#"{"skills":[{"code":"water.sprinkler","level":"high","years":5}]}"#, "skills[0].level"),
    ])
    func badProfilesAre422NamingTheFieldAndWriteNothing(_ change: String, field: String) async throws {
        let world = try await World.make()
        let before = try await world.count("SELECT (SELECT count(*) FROM providers) + (SELECT count(*) FROM audit_log)")
        try await withApp(on: world.endpoint) { client in
            let problem = try await client.send(.post, "/v1/providers", token: world.tokens[.staff], json: Self.profile(change)).problem(
                .unprocessableContent)
            #expect((problem["errors"] as? [[String: String]])?.map { $0["field"] } == [field])
        }
        #expect(try await world.count("SELECT (SELECT count(*) FROM providers) + (SELECT count(*) FROM audit_log)") == before)
    }

    /// DNI and phone: staff, admin and the provider itself; never anyone else, in any view.
    @Test func privateFieldsReachOnlyStaffAndTheProvider() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            for caller in Caller.allCases {
                let own = caller == .provider
                let id = own ? world.ownProvider.id : world.publishedProvider.id
                let profile = try await client.send(.get, "/v1/providers/\(id)", token: world.tokens[caller]).object()
                let search = try await client.send(.get, "/v1/providers?q=quispe", token: world.tokens[caller]).items()
                let lineage = try await client.send(
                    .get, "/v1/providers/\(world.publishedProvider.id)/lineage", token: world.tokens[caller])
                let sees = [.admin, .staff, .provider].contains(caller)
                #expect((profile["national_id"] != nil) == sees, "\(caller)")
                #expect((profile["phone"] != nil) == sees, "\(caller)")
                if ![.admin, .staff].contains(caller) {
                    #expect(search.allSatisfy { $0["national_id"] == nil && $0["phone"] == nil }, "\(caller)")
                    #expect(!String(buffer: lineage.body).contains("40000002"))
                }
            }
        }
    }

    @Test func aProviderUserRegistersItsOwnProfileOnce() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            _ = try await client.send(
                .post, "/v1/users", token: world.tokens[.admin],
                json: #"{"login":"new-talent","password":"long enough password","role":"provider"}"#)
            let login = try await client.send(.post, "/v1/auth/login", json: #"{"login":"new-talent","password":"long enough password"}"#)
                .object()
            let token = try #require(login["token"] as? String)
            let created = try await client.send(.post, "/v1/providers", token: token, json: Self.profile(#"{"national_id":"45678901"}"#))
            #expect(created.status == .created)
            let id = try #require(try created.object()["id"] as? String)
            let me = try await client.send(.get, "/v1/users/me", token: token).object()
            #expect((me["provider_id"] as? String).flatMap(UUID.init(uuidString:)) == UUID(uuidString: id))
            // Its own profile shows the DNI to it, unpublished as it is.
            #expect(try await client.send(.get, "/v1/providers/\(id)", token: token).object()["national_id"] as? String == "45678901")
            _ = try await client.send(.post, "/v1/providers", token: token, json: Self.profile()).problem(.forbidden)
        }
    }

    @Test func patchChangesOnlyWhatItNamesAndClearsNulls() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/providers/\(world.ownProvider.id)"
            let changed = try await client.send(
                .patch, path, token: world.tokens[.provider],
                json: #"{"bio":"Esquila y clasificación","phone":null,"skills":[{"code":"camelids.health","level":2,"years":1}]}"#
            ).object()
            #expect(changed["bio"] as? String == "Esquila y clasificación")
            #expect(changed["phone"] == nil)
            #expect(changed["national_id"] as? String == "40000001")
            #expect((changed["skills"] as? [[String: Any]])?.map { $0["code"] as? String } == ["camelids.health"])
            #expect((changed["languages"] as? [[String: Any]])?.count == 1)
            _ = try await client.send(.patch, path, token: world.tokens[.provider], json: #"{"full_name":null}"#).problem(
                .unprocessableContent)
            _ = try await client.send(.patch, path, token: world.tokens[.provider], json: #"{"salary":1}"#).problem(.unprocessableContent)
            _ = try await client.send(.patch, path, token: world.tokens[.provider], json: #"[1]"#).problem(.badRequest)
        }
    }

    /// The same DNI registered by several clients at once: the unique index lets one through.
    @Test func concurrentRegistrationsOfOneDNILeaveOne() async throws {
        let world = try await World.make()
        let statuses = try await withApp(on: world.endpoint) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        Int(
                            try await client.send(
                                .post, "/v1/providers", token: world.tokens[.staff], json: Self.profile(#"{"national_id":"47000000"}"#)
                            ).status.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.sorted() == [201, 409, 409, 409, 409])
        #expect(try await world.count("SELECT count(*) FROM providers WHERE national_id = '47000000'") == 1)
    }

    @Test func searchParametersAreChecked() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            for (query, field) in [
                ("near=999999", "near"), ("radius_km=0", "radius_km"), ("near=010101&radius_km=5e-324", "radius_km"),
                ("min_speaking=9", "min_speaking"), ("kind=doctor", "kind"),
                ("cursor=zzz", "cursor"),
            ] {
                let problem = try await client.send(.get, "/v1/providers?\(query)").problem(.unprocessableContent)
                #expect((problem["errors"] as? [[String: String]])?.first?["field"] == field)
            }
            let near = try await client.send(.get, "/v1/providers?near=081206&radius_km=10").items()
            #expect(near.map { $0["distance_km"] as? Double } == [0])
        }
    }

    @Test func certificationsShowWhetherTheyExpired() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/providers/\(world.publishedProvider.id)/certifications"
            for (issued, until) in [("2015-03-01", "2020-03-01"), ("2024-03-01", "2090-03-01")] {
                let body =
                    #"{"skill":"camelids.fibre","certifier_organization_id":"\#(world.agency.id)","issued_on":"\#(issued)","#
                    + #""valid_until":"\#(until)"}"#
                #expect(try await client.send(.post, path, token: world.tokens[.staff], json: body).status == .created)
            }
            let certifications = try #require(
                try await client.send(.get, "/v1/providers/\(world.publishedProvider.id)").object()["certifications"] as? [[String: Any]])
            #expect(certifications.map { $0["expired"] as? Bool } == [false, true])
            let backwards =
                #"{"skill":"camelids.fibre","certifier_organization_id":"\#(world.agency.id)","issued_on":"2024-03-01","#
                + #""valid_until":"2023-03-01"}"#
            _ = try await client.send(.post, path, token: world.tokens[.staff], json: backwards).problem(.unprocessableContent)
        }
    }
}
