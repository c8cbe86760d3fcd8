import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqDomain
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// What an attack on a demo instance found (issue 9), each kept as a test: nothing a client
/// sends may crash the process, reach PostgreSQL unchecked, or come back as a 500.
@Suite struct HostileInputTests {
    static func base64URL(_ text: String) -> String { Data(text.utf8).base64URLEncoded }

    /// Cursors whose number is NaN, infinite or huge once trapped converting to a Date; the
    /// lists keyed by a number answer them, and every list other forged cursors, with 422.
    /// (In a list ordered by name, "NaN" is a name like any other: 200.)
    @Test func forgedCursorsAre422OnEveryList() async throws {
        let world = try await World.make()
        let id = UUID().uuidString
        let numbers = ["NaN", "inf", "-inf", "1e13", "-1e13", "9223372036854775807", "1e400", "nan"].map {
            Self.base64URL("\($0)\u{1F}\(id)")
        }
        let malformed = [Self.base64URL("only one part"), "%%%", "not*base64", String(repeating: "A", count: 501)]
        let numbered = ["/v1/requests", "/v1/providers?near=080601", "/v1/providers?q=quispe", "/v1/audit", "/v1/districts"]
        let named = ["/v1/providers", "/v1/organizations"]
        try await withApp(on: world.endpoint) { client in
            for list in numbered + named {
                for cursor in numbers + malformed {
                    let separator = list.contains("?") ? "&" : "?"
                    let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
                    let response = try await client.send(.get, "\(list)\(separator)cursor=\(escaped)", token: world.tokens[.admin])
                    if named.contains(list), numbers.contains(cursor) {
                        #expect(response.status == .ok, "\(list) \(cursor)")
                        continue
                    }
                    let problem = try response.problem(.unprocessableContent)
                    #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "cursor", "\(list) \(cursor)")
                }
            }
            // The service is still there, and a real cursor still pages.
            let first = try await client.send(.get, "/v1/requests?limit=1")
            let next = try #require(try first.object()["next_cursor"] as? String)
            #expect(try await client.send(.get, "/v1/requests?limit=1&cursor=\(next)").status == .ok)
        }
    }

    /// A daily rate near Int64.max once made every shortlist it qualified for fail
    /// ("bigint out of range"); rates and budgets are bounded at the API and in SQL.
    @Test func moneyIsBoundedSoTheRankingCannotOverflow() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            for rate in ["9223372036854775807", "1000001", "-1"] {
                let response = try await client.send(
                    .patch, "/v1/providers/\(world.publishedProvider.id)", token: world.tokens[.staff],
                    json: #"{"daily_rate_cents":\#(rate)}"#)
                _ = try response.problem(.unprocessableContent)
            }
            let budget =
                #"{"title":"Riego","skills":["camelids.fibre"],"languages":["quz"],"ubigeo":"081206","starts_on":"2027-01-01","#
                + #""ends_on":"2027-02-01","budget_cents":10000000001}"#
            _ = try await client.send(.post, "/v1/requests", token: world.tokens[.community], json: budget).problem(.unprocessableContent)
            #expect(try await client.send(.get, "/v1/requests/\(world.requestA.id)/matches", token: world.tokens[.community]).status == .ok)
        }
        // PostgreSQL refuses it too, whoever writes.
        await #expect(throws: (any Error).self) {
            _ = try await world.count("UPDATE providers SET daily_rate_cents = 9223372036854775807 RETURNING 1")
        }
    }

    /// A key given twice, at any depth and however it is escaped, is 422 naming it, and
    /// nothing is written (issue 27, finding 9): the parser would keep one, a proxy the other.
    @Test func repeatedKeysAre422NamingTheKey() async throws {
        let world = try await World.make()
        let payer = world.communityA.id
        let cases: [(path: String, body: String, field: String)] = [
            (
                "/v1/contracts/\(world.contractA.id)/payments",
                #"{"amount_cents":100,"amount_cents":200,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(payer)"}"#,
                "amount_cents"
            ),
            (
                "/v1/contracts/\(world.contractA.id)/payments",
                #"{"amount_cents":100,"amount\u005fcents":200,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(payer)"}"#,
                "amount_cents"
            ),
            (
                "/v1/contracts", #"{"organization_id":"\#(payer)","funding":[{"kind":"a"},{"kind":"a","kind":"b"}]}"#, "funding[1].kind"
            ),
            (
                "/v1/applications/\(world.applicationA.id)", #"{"status":"interviewed","interview":{"panel":"a","panel":"b"}}"#,
                "interview.panel"
            ),
        ]
        try await withApp(on: world.endpoint) { client in
            for (path, body, field) in cases {
                let method: HTTPRequest.Method = path.hasPrefix("/v1/applications") ? .patch : .post
                let refused = try await client.send(method, path, token: world.tokens[.community], json: body).problem(
                    .unprocessableContent)
                #expect((refused["errors"] as? [[String: String]])?.map { $0["field"] } == [field], "\(body)")
            }
            // The same keys once each are fine.
            #expect(
                try await client.send(
                    .post, "/v1/contracts/\(world.contractA.id)/payments", token: world.tokens[.community],
                    json: #"{"amount_cents":100,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(payer)","#
                        + #""reference":"\"amount_cents\":1"}"#
                ).status == .created)
        }
        #expect(try await world.count("SELECT count(*) FROM payments") == 1)
    }

    /// NUL characters, which PostgreSQL cannot store in text, are 422 wherever they come.
    @Test(arguments: [
        ("GET", "/v1/providers?q=a%00", nil as String?),
        ("GET", "/v1/districts?q=%00", nil),
        ("POST", "/v1/auth/login", #"{"login":"a\u0000","password":"whatever it is"}"#),
        ("POST", "/v1/organizations", #"{"name":"Comunidad\u0000","kind":"community","ubigeo":"080101"}"#),
        ("PATCH", "/v1/providers/{own}", #"{"bio":"yachachiq\u0000"}"#),
    ])
    func nulCharactersAre422(_ method: String, _ path: String, _ body: String?) async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let uri = path.replacingOccurrences(of: "{own}", with: world.ownProvider.id.uuidString)
            let response = try await client.send(HTTPRequest.Method(method)!, uri, token: world.tokens[.admin], json: body)
            _ = try response.problem(.unprocessableContent)
        }
    }

    /// bcrypt stops at a NUL byte and reads 72 bytes at most: such passwords are refused at
    /// creation, and at sign-in never match a stored one that they start with.
    @Test func passwordsBcryptWouldTruncateAreRefused() async throws {
        let world = try await World.make()
        let long = String(repeating: "k", count: 72)
        try await withApp(on: world.endpoint) { client in
            for password in [#"abc\u0000defghijkl"#, #"\u0000abcdefghijk"#, long + "x"] {
                let response = try await client.send(
                    .post, "/v1/users", token: world.tokens[.admin],
                    json: #"{"login":"rosa","password":"\#(password)","role":"provider"}"#)
                let problem = try response.problem(.unprocessableContent)
                #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "password")
            }
            #expect(
                try await client.send(
                    .post, "/v1/users", token: world.tokens[.admin],
                    json: #"{"login":"rosa","password":"\#(long)","role":"provider"}"#
                ).status == .created)
            #expect(try await client.send(.post, "/v1/auth/login", json: #"{"login":"rosa","password":"\#(long)"}"#).status == .ok)
            for (login, attempt) in [("rosa", #"\#(long)\u0000"#), ("staff-user", #"\#(World.password)\u0000junk"#)] {
                _ = try await client.send(.post, "/v1/auth/login", json: #"{"login":"\#(login)","password":"\#(attempt)"}"#).problem(
                    .unprocessableContent)
            }
            let tooLong = try await client.send(.post, "/v1/auth/login", json: #"{"login":"rosa","password":"\#(long)extra"}"#)
            _ = try tooLong.problem(.unauthorized)
        }
    }

    @Test func bodiesOver2MBAre413() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let huge = #"{"name":""# + String(repeating: "a", count: 2_100_000) + #"","kind":"community","ubigeo":"080101"}"#
            _ = try await client.send(.post, "/v1/organizations", token: world.tokens[.admin], json: huge).problem(.contentTooLarge)
        }
    }

    /// A URL longer than the HTTP decoder takes never reaches the router: still a problem.
    /// Sent over a plain socket, as curl would: the server answers and closes before a
    /// client finishes sending, which HummingbirdTesting's client reports as an I/O error.
    @Test func giantURLsAre414ProblemsOverRealHTTP() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint, testing: .live) { client in
            let port = try #require(client.port)
            for uri in [
                "/v1/providers?q=" + String(repeating: "a", count: 1_000_000),
                "/v1/requests?cursor=" + String(repeating: "A", count: 100_000),
            ] {
                let response = try await RawHTTP.exchange("GET \(uri) HTTP/1.1\r\nHost: localhost\r\n\r\n", port: port)
                #expect(response.hasPrefix("HTTP/1.1 414"), "\(response.prefix(200))")
                #expect(response.contains("Content-Type: application/problem+json"))
                #expect(response.contains(#""status":414"#))
            }
        }
    }

    /// The contract, strictly: JSON bodies as JSON, no unknown fields, no empty parameters,
    /// 405 with Allow for a method a path does not take.
    @Test func theContractIsStrict() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let organization = #"{"name":"Comunidad Nueva","kind":"community","ubigeo":"080101"}"#
            for type in ["text/plain", "application/xml", nil] {
                var headers: HTTPFields = [.authorization: "Bearer \(world.tokens[.admin]!)"]
                if let type { headers[.contentType] = type }
                let response = try await client.execute(
                    uri: "/v1/organizations", method: .post, headers: headers, body: ByteBuffer(string: organization))
                _ = try response.problem(.unsupportedMediaType)
            }
            let unknown = try await client.send(
                .post, "/v1/organizations", token: world.tokens[.admin],
                json: #"{"name":"Comunidad Nueva","kind":"community","ubigeo":"080101","is_admin":true}"#)
            #expect((try unknown.problem(.unprocessableContent)["errors"] as? [[String: Any]])?.first?["field"] as? String == "is_admin")
            let nested = try await client.send(
                .patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider],
                json: #"{"skills":[{"code":"camelids.fibre","level":3,"years":6,"stars":5}]}"#)
            #expect(
                (try nested.problem(.unprocessableContent)["errors"] as? [[String: Any]])?.first?["field"] as? String == "skills[0].stars")
            for query in ["status=", "near=", "limit=", "radius_km=", "skill=%20"] {
                _ = try await client.send(.get, "/v1/requests?\(query)").problem(.unprocessableContent)
            }
            for (method, path, allow) in [
                (HTTPRequest.Method.put, "/v1/providers/\(world.ownProvider.id)", "GET, PATCH"),
                (.delete, "/v1/organizations", "GET, POST"), (.trace, "/health", "GET"),
            ] {
                let response = try await client.send(method, path, token: world.tokens[.admin])
                _ = try response.problem(.methodNotAllowed)
                #expect(response.headers[.allow] == allow)
            }
            _ = try await client.send(.get, "/v1/nothing-here").problem(.notFound)
        }
    }

    /// Nothing that is not the caller's leaks through an error: a DNI changes only through
    /// staff (so a talent cannot probe which exist), hidden profiles cannot be invited and
    /// read like missing ones, a status staff set stays, constraint names never show.
    @Test func errorsLeakNothingAndPolicyHolds() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let probe = try await client.send(
                .patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider],
                json: #"{"national_id":"40000002"}"#)
            _ = try probe.problem(.forbidden)
            let invite = { (id: UUID) in
                try await client.send(
                    .post, "/v1/requests/\(world.requestA.id)/applications", token: world.tokens[.community],
                    json: #"{"provider_id":"\#(id)"}"#)
            }
            let missing = try await invite(UUID()).problem(.unprocessableContent)
            let hidden = try await invite(world.unpublishedProvider.id).problem(.unprocessableContent)
            #expect(missing["detail"] as? String == hidden["detail"] as? String)

            let suspend = try await client.send(
                .patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.staff], json: #"{"status":"inactive"}"#)
            #expect(suspend.status == .ok)
            _ = try await client.send(
                .patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider], json: #"{"status":"active"}"#
            )
            .problem(.forbidden)
            #expect(
                try await client.send(
                    .patch, "/v1/providers/\(world.ownProvider.id)", token: world.tokens[.provider], json: #"{"bio":"Sigo aquí"}"#
                ).status == .ok)

            let dangling = try await client.send(
                .post, "/v1/users", token: world.tokens[.admin],
                json: #"{"login":"dangling","password":"long enough password","role":"provider","provider_id":"\#(UUID())"}"#)
            #expect(!String(buffer: dangling.body).contains("fkey"))
            _ = try dangling.problem(.unprocessableContent)

            // Another's application reads as none at all.
            let others = try await client.send(
                .patch, "/v1/applications/\(world.applicationA.id)", token: world.tokens[.provider], json: #"{"status":"withdrawn"}"#)
            let random = try await client.send(
                .patch, "/v1/applications/\(UUID())", token: world.tokens[.provider], json: #"{"status":"withdrawn"}"#)
            _ = try others.problem(.notFound)
            _ = try random.problem(.notFound)

            // Staff say which organisation a request is for.
            let request =
                #"{"title":"Riego","skills":["camelids.fibre"],"languages":["quz"],"ubigeo":"081206","starts_on":"2027-01-01","#
                + #""ends_on":"2027-02-01","budget_cents":1000}"#
            let unnamed = try await client.send(.post, "/v1/requests", token: world.tokens[.staff], json: request)
            #expect(
                (try unnamed.problem(.unprocessableContent)["errors"] as? [[String: Any]])?.first?["field"] as? String == "organization_id")
        }
        #expect(try await world.count("SELECT count(*) FROM service_requests WHERE organization_id = \(world.agency.id)") == 0)
    }
}
