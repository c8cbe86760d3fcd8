import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import YachaqTestSupport

/// Every write that both doors offer, once through the API and once through the page form, on
/// twin worlds: the same answer (success, or the same refusal), and the same rows written,
/// as their audit entries show them (who did what to which record, with the record's values).
@Suite struct ActionParityTests {
    /// One use case as each door takes it, with the calls (through the API) that bring a world
    /// to where it can be done.
    struct Case: Sendable {
        let name: String
        let caller: Caller
        var setup: @Sendable (World) -> [(method: HTTPRequest.Method, path: String, json: String)] = { _ in [] }
        /// Who makes the setup calls, when not the case's caller.
        var setupAs: Caller? = nil
        let api: @Sendable (World) -> (method: HTTPRequest.Method, path: String, json: String)
        /// The page whose form is sent (for its token), the form's address and its fields.
        let page: @Sendable (World) -> (form: String, post: String, fields: [(String, String)])
        /// nil: it succeeds; else the status both doors answer.
        var refused: HTTPResponse.Status?
        /// A page answers a success with a redirect, but for what it shows once (a password).
        var pageSuccess: HTTPResponse.Status = .seeOther
    }

    static let cases: [Case] = [
        Case(
            name: "change how one is reached", caller: .community,
            api: { _ in (.put, "/v1/users/me/contact", #"{"phone":"987 654 321","sms":true,"language":"qu"}"#) },
            page: { _ in ("/contact", "/contact", [("mobile", "987 654 321"), ("sms", "yes"), ("message_language", "qu")]) }),
        Case(
            name: "SMS without a number", caller: .community,
            api: { _ in (.put, "/v1/users/me/contact", #"{"sms":true}"#) },
            page: { _ in ("/contact", "/contact", [("mobile", ""), ("sms", "yes"), ("message_language", "es")]) },
            refused: .unprocessableContent),
        Case(
            name: "post a request", caller: .community,
            api: { _ in
                (
                    .post, "/v1/requests",
                    #"{"title":"Sanidad de ovinos","description":"Dosificación","skills":["camelids.fibre"],"languages":["quz"],"#
                        + #""ubigeo":"081206","starts_on":"2027-07-01","ends_on":"2027-07-20","budget_cents":450000,"#
                        + #""must_live_in_community":true,"preferred_gender":"female","families":30}"#
                )
            },
            page: { _ in
                (
                    "/new-request", "/new-request",
                    [
                        ("title", "Sanidad de ovinos"), ("description", "Dosificación"), ("skill", "camelids.fibre"), ("language", "quz"),
                        ("district", "081206"), ("starts_on", "2027-07-01"), ("ends_on", "2027-07-20"), ("budget", "4500"),
                        ("live_in", "on"), ("gender", "female"), ("families", "30"),
                    ]
                )
            }),
        Case(
            name: "invite a technician", caller: .staff,
            api: { world in
                (.post, "/v1/requests/\(world.requestB.id)/applications", #"{"provider_id":"\#(world.publishedProvider.id)"}"#)
            },
            page: { world in
                (
                    "/requests/\(world.requestB.id)", "/requests/\(world.requestB.id)/invite",
                    [("provider_id", world.publishedProvider.id.uuidString)]
                )
            }),
        Case(
            name: "apply", caller: .provider,
            api: { world in
                (
                    .post, "/v1/requests/\(world.requestA.id)/applications",
                    #"{"provider_id":"\#(world.ownProvider.id)","note":"Vivo cerca"}"#
                )
            },
            page: { world in ("/requests/\(world.requestA.id)", "/requests/\(world.requestA.id)/apply", [("note", "Vivo cerca")]) }),
        Case(
            name: "record an interview", caller: .community,
            api: { world in
                (
                    .patch, "/v1/applications/\(world.applicationA.id)",
                    #"{"status":"interviewed","interview":{"held_on":"2027-02-10","panel":"Asamblea","notes":"Habla quechua"}}"#
                )
            },
            page: { world in
                (
                    "/requests/\(world.requestA.id)", "/applications/\(world.applicationA.id)",
                    [("status", "interviewed"), ("held_on", "2027-02-10"), ("panel", "Asamblea"), ("notes", "Habla quechua")]
                )
            }),
        Case(
            name: "make the contract of the selected technician", caller: .community,
            setup: { world in [(.patch, "/v1/applications/\(world.applicationA.id)", #"{"status":"selected"}"#)] },
            api: { world in
                (
                    .post, "/v1/contracts",
                    #"{"request_id":"\#(world.requestA.id)","application_id":"\#(world.applicationA.id)","scope":"Esquila","#
                        + #""starts_on":"2027-03-01","ends_on":"2027-04-30","amount_cents":500000,"families":40,"#
                        + #""funding":[{"source_organization_id":"\#(world.agency.id)","kind":"public_transfer","amount_cents":400000},"#
                        + #"{"source_organization_id":"\#(world.communityA.id)","kind":"counterpart_cash","amount_cents":100000}],"#
                        + #""milestones":[{"title":"Fibra clasificada","due_on":"2027-04-30"}]}"#
                )
            },
            page: { world in
                (
                    "/requests/\(world.requestA.id)/contract?application=\(world.applicationA.id)",
                    "/requests/\(world.requestA.id)/contract",
                    [
                        ("application", world.applicationA.id.uuidString), ("scope", "Esquila"), ("starts_on", "2027-03-01"),
                        ("ends_on", "2027-04-30"), ("amount", "5000"), ("families", "40"), ("fund_public_transfer", "4000"),
                        ("source_public_transfer", world.agency.id.uuidString), ("fund_counterpart_cash", "1000"),
                        ("milestone_title_0", "Fibra clasificada"), ("milestone_due_0", "2027-04-30"),
                    ]
                )
            }),
        Case(
            name: "start the work", caller: .community,
            api: { world in (.post, "/v1/contracts/\(world.contractA.id)/transitions", #"{"to":"active"}"#) },
            page: { world in
                (
                    "/contracts/\(world.contractA.id)", "/contracts/\(world.contractA.id)/transitions",
                    [("to", "active"), ("confirmed", "yes")]
                )
            }),
        Case(
            name: "widen a request", caller: .community,
            api: { world in
                (
                    .patch, "/v1/requests/\(world.requestA.id)",
                    #"{"title":"Esquila y clasificación","description":"Fibra de 400 alpacas","skills":["camelids"],"#
                        + #""languages":["que","spa"],"ubigeo":"081210","starts_on":"2027-03-15","ends_on":"2027-05-15","#
                        + #""budget_cents":650000,"must_live_in_community":true,"preferred_gender":null,"families":35}"#
                )
            },
            page: { world in
                (
                    "/requests/\(world.requestA.id)/edit", "/requests/\(world.requestA.id)/edit",
                    [
                        ("title", "Esquila y clasificación"), ("description", "Fibra de 400 alpacas"), ("skill", "camelids"),
                        ("language", "que"), ("language", "spa"), ("district", "081210"), ("starts_on", "2027-03-15"),
                        ("ends_on", "2027-05-15"), ("budget", "6,500.00"), ("live_in", "yes"), ("gender", ""), ("families", "35"),
                    ]
                )
            }),
        Case(
            name: "close a request", caller: .community,
            api: { world in (.post, "/v1/requests/\(world.requestA.id)/transitions", #"{"to":"closed","reason":"Ya contratamos"}"#) },
            page: { world in
                (
                    "/requests/\(world.requestA.id)", "/requests/\(world.requestA.id)/transitions",
                    [("to", "closed"), ("reason", "Ya contratamos"), ("confirmed", "yes")]
                )
            }),
        Case(
            name: "judge a milestone", caller: .community,
            api: { world in
                (
                    .patch, "/v1/contracts/\(world.contractA.id)/milestones/\(world.contractA.milestones[0].id)",
                    #"{"status":"met","on":"2027-05-30","note":"Fibra entregada"}"#
                )
            },
            page: { world in
                (
                    "/contracts/\(world.contractA.id)", "/contracts/\(world.contractA.id)/milestones/\(world.contractA.milestones[0].id)",
                    [("status", "met"), ("on", "2027-05-30"), ("note", "Fibra entregada")]
                )
            }),
        Case(
            name: "record a payment", caller: .community,
            api: { world in
                (
                    .post, "/v1/contracts/\(world.contractA.id)/payments",
                    #"{"amount_cents":30000,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(world.communityA.id)","#
                        + #""funding_kind":"counterpart_cash","reference":"Acta 12"}"#
                )
            },
            page: { world in
                (
                    "/contracts/\(world.contractA.id)", "/contracts/\(world.contractA.id)/payments",
                    [
                        ("line", "\(world.communityA.id.uuidString.lowercased())|counterpart_cash"), ("amount", "300"),
                        ("paid_on", "2027-05-02"), ("method", "cash"), ("reference", "Acta 12"), ("confirmed", "yes"),
                    ]
                )
            }),
        Case(
            name: "rate the finished work", caller: .community,
            setup: { world in
                ["active", "completed"].map { (.post, "/v1/contracts/\(world.contractA.id)/transitions", #"{"to":"\#($0)"}"#) }
            },
            api: { world in
                (
                    .post, "/v1/contracts/\(world.contractA.id)/rating",
                    #"{"technical":5,"communication":4,"punctuality":3,"results":4,"would_hire_again":true,"comment":"Paciente"}"#
                )
            },
            page: { world in
                (
                    "/contracts/\(world.contractA.id)", "/contracts/\(world.contractA.id)/rating",
                    [
                        ("technical", "5"), ("communication", "4"), ("punctuality", "3"), ("results", "4"), ("again", "yes"),
                        ("comment", "Paciente"),
                    ]
                )
            }),
        Case(
            name: "review a technician", caller: .staff,
            api: { world in
                (
                    .post, "/v1/providers/\(world.publishedProvider.id)/reviews",
                    #"{"period_from":"2026-01-01","period_to":"2026-06-30","summary":"Cumple","#
                        + #""decision":"needs_training","training":"Sanidad"}"#
                )
            },
            page: { world in
                (
                    "/staff/providers/\(world.publishedProvider.id)", "/staff/providers/\(world.publishedProvider.id)/reviews",
                    [
                        ("period_from", "2026-01-01"), ("period_to", "2026-06-30"), ("summary", "Cumple"), ("decision", "needs_training"),
                        ("training", "Sanidad"),
                    ]
                )
            }),
        Case(
            name: "answer a review", caller: .provider,
            api: { world in (.post, "/v1/reviews/\(world.reviewOfOwn.id)/answer", #"{"text":"Gracias"}"#) },
            page: { world in ("/home", "/reviews/\(world.reviewOfOwn.id)/answer", [("text", "Gracias")]) }),
        Case(
            name: "accept an invitation", caller: .provider,
            setup: { world in
                [
                    (.patch, "/v1/providers/\(world.ownProvider.id)", #"{"consent_to_publish":true}"#),
                    (.post, "/v1/requests/\(world.requestA.id)/applications", #"{"provider_id":"\#(world.ownProvider.id)"}"#),
                ]
            }, setupAs: .staff,
            api: { world in (.post, "/v1/applications/\(Self.invitation(world))/answer", #"{"answer":"accepted"}"#) },
            page: { world in ("/requests/\(world.requestA.id)", "/applications/\(Self.invitation(world))/answer", [("answer", "accepted")])
            }),
        Case(
            name: "answer an application that was no invitation", caller: .provider,
            api: { world in (.post, "/v1/applications/\(world.ownApplication.id)/answer", #"{"answer":"declined"}"#) },
            page: { world in
                (
                    "/requests/\(world.requestB.id)", "/applications/\(world.ownApplication.id)/answer",
                    [("answer", "declined"), ("confirmed", "yes")]
                )
            }, refused: .conflict),
        Case(
            name: "answer for the technician", caller: .community,
            api: { world in (.post, "/v1/applications/\(world.applicationA.id)/answer", #"{"answer":"accepted"}"#) },
            page: { world in ("/home", "/applications/\(world.applicationA.id)/answer", [("answer", "accepted")]) }, refused: .notFound),
        Case(
            name: "edit one's own profile", caller: .provider,
            api: { world in
                (.patch, "/v1/providers/\(world.ownProvider.id)", #"{"bio":"Esquiladora","daily_rate_cents":8000,"travel_radius_km":60}"#)
            },
            page: { world in
                (
                    "/profile/edit", "/profile/edit",
                    [
                        ("full_name", world.ownProvider.fullName), ("bio", "Esquiladora"), ("phone", "984000111"), ("rate", "80"),
                        ("radius", "60"), ("language_0", "quz"), ("speaking_0", "4"), ("understanding_0", "4"), ("reading_0", "2"),
                        ("writing_0", "2"), ("skill_0", "camelids.fibre"), ("skill_level_0", "3"), ("years_0", "6"),
                    ]
                )
            }),
        Case(
            name: "register an organisation", caller: .staff,
            api: { _ in (.post, "/v1/organizations", #"{"name":"Asociación de Alpaqueros Sallani","kind":"association","ubigeo":"081206"}"#)
            },
            page: { _ in
                (
                    "/staff/organizations", "/staff/organizations",
                    [("name", "Asociación de Alpaqueros Sallani"), ("kind", "association"), ("ubigeo", "081206")]
                )
            }),
        Case(
            name: "open an account for a community's leader", caller: .staff,
            api: { world in
                (
                    .post, "/v1/users",
                    #"{"login":"lider-tupac","password":"una clave larga 2027","role":"community","#
                        + #""organization_id":"\#(world.communityB.id)"}"#
                )
            },
            page: { world in
                (
                    "/staff/organizations/\(world.communityB.id)", "/staff/organizations/\(world.communityB.id)/users",
                    [("login", "lider-tupac"), ("role", "community")]
                )
            }, pageSuccess: .ok),
        // Refusals: the same status through both doors, and nothing written.
        Case(
            name: "move another community's contract", caller: .community,
            api: { world in (.post, "/v1/contracts/\(world.contractB.id)/transitions", #"{"to":"signed"}"#) },
            page: { world in ("/home", "/contracts/\(world.contractB.id)/transitions", [("to", "signed")]) }, refused: .notFound),
        Case(
            name: "pay a contract the technician only reads", caller: .provider,
            api: { world in
                (
                    .post, "/v1/contracts/\(world.contractB.id)/payments",
                    #"{"amount_cents":100,"paid_on":"2027-05-02","method":"cash","payer_organization_id":"\#(world.communityB.id)"}"#
                )
            },
            page: { world in
                (
                    "/contracts/\(world.contractB.id)", "/contracts/\(world.contractB.id)/payments",
                    [
                        ("line", "\(world.communityB.id.uuidString.lowercased())|counterpart_cash"), ("amount", "1"),
                        ("paid_on", "2027-05-02"), ("method", "cash"),
                    ]
                )
            }, refused: .forbidden),
        Case(
            name: "choose on another community's request", caller: .community,
            api: { world in (.patch, "/v1/applications/\(world.ownApplication.id)", #"{"status":"shortlisted"}"#) },
            page: { world in ("/home", "/applications/\(world.ownApplication.id)", [("status", "shortlisted")]) }, refused: .notFound),
        Case(
            name: "answer someone else's review", caller: .community,
            api: { world in (.post, "/v1/reviews/\(world.reviewOfOwn.id)/answer", #"{"text":"No"}"#) },
            page: { world in ("/home", "/reviews/\(world.reviewOfOwn.id)/answer", [("text", "No")]) }, refused: .notFound),
        Case(
            name: "rate an unfinished contract", caller: .community,
            api: { world in
                (
                    .post, "/v1/contracts/\(world.contractA.id)/rating",
                    #"{"technical":5,"communication":4,"punctuality":3,"results":4}"#
                )
            },
            page: { world in
                (
                    "/contracts/\(world.contractA.id)", "/contracts/\(world.contractA.id)/rating",
                    [("technical", "5"), ("communication", "4"), ("punctuality", "3"), ("results", "4")]
                )
            }, refused: .conflict),
    ]

    /// The invitation a setup makes, in a path: its id is known once it is made.
    static func invitation(_ world: World) -> String { "{invitation}" }

    /// `path` with the setup's invitation named by its id: found by its pair (request A, the
    /// provider user's profile).
    static func resolve(_ path: String, _ world: World) async throws -> String {
        guard path.contains("{invitation}") else { return path }
        let id = try await TestDatabase.withClient(world.endpoint) { database in
            try await database.query(
                "SELECT id FROM applications WHERE request_id = \(world.requestA.id) AND provider_id = \(world.ownProvider.id)"
            ).collect().first?.decode(UUID.self)
        }
        return path.replacingOccurrences(of: "{invitation}", with: try #require(id).uuidString.lowercased())
    }

    /// One case after another: each makes two worlds and two applications, and the cases at
    /// once would take more connections than the test cluster has beside the other suites.
    @Test func bothDoorsWriteTheSame() async throws {
        for action in Self.cases { try await check(action) }
    }

    func check(_ action: Case) async throws {
        let viaAPI = try await World.make(), viaPage = try await World.make()
        let token = try #require(viaAPI.tokens[action.caller])
        let apiRows = try await withApp(on: viaAPI.endpoint) { client in
            try await Self.setUp(action, viaAPI, client)
            let mark = try await AuditEntries.mark(viaAPI)
            let call = action.api(viaAPI)
            let response = try await client.send(call.method, try await Self.resolve(call.path, viaAPI), token: token, json: call.json)
            Self.expect(response.status, to: action.refused, door: "API", of: action, body: String(buffer: response.body))
            return try await AuditEntries.since(mark, in: viaAPI)
        }
        let pageRows = try await withApp(on: viaPage.endpoint) { client in
            try await Self.setUp(action, viaPage, client)
            let mark = try await AuditEntries.mark(viaPage)
            let call = action.page(viaPage)
            var browser = Browser(client, language: "es", session: viaPage.tokens[action.caller])
            #expect(try await browser.get(call.form).status == .ok, "\(action.name): the form's page \(call.form)")
            let response = try await browser.post(try await Self.resolve(call.post, viaPage), call.fields)
            Self.expect(response.status, to: action.refused, door: "page", of: action, body: browser.page)
            return try await AuditEntries.since(mark, in: viaPage)
        }
        #expect(apiRows == pageRows, "\(action.name)")
        #expect(apiRows.isEmpty == (action.refused != nil), "\(action.name): a success writes audit rows; a refusal, nothing")
    }

    /// The setup calls, through the API as the case's caller.
    static func setUp(_ action: Case, _ world: World, _ client: any TestClientProtocol) async throws {
        for call in action.setup(world) {
            let response = try await client.send(
                call.method, call.path, token: world.tokens[action.setupAs ?? action.caller], json: call.json)
            #expect((200..<300).contains(response.status.code), "\(action.name): setup \(call.path): \(String(buffer: response.body))")
        }
    }

    /// A success is 2xx from the API and a redirect (303) from a page; a refusal is the same
    /// status from both, except that a page shows a conflict on the form it shows again (422,
    /// its message at the top of the form), where the API answers 409.
    static func expect(_ status: HTTPResponse.Status, to refused: HTTPResponse.Status?, door: String, of action: Case, body: String) {
        if let refused {
            let onTheForm =
                door == "page" && refused == .conflict && status == .unprocessableContent && body.contains(#"class="error" role="alert""#)
            #expect(status == refused || onTheForm, "\(action.name), \(door): \(body.prefix(300))")
        } else {
            let expected = door == "API" ? (200..<300).contains(status.code) : status == action.pageSuccess
            #expect(expected, "\(action.name), \(door) answered \(status): \(body.prefix(300))")
        }
    }
}
