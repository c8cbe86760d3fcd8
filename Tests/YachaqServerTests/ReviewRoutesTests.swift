import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// Staff's review of providers: the scorecard counted by hand, advice that never touches the
/// ranking, and suspension as the only decision with an effect.
@Suite struct ReviewRoutesTests {
    typealias JSON = [String: Any]

    static func review(_ decision: String, reason: String? = nil, training: String? = nil) -> String {
        """
        {"period_from":"2026-01-01","period_to":"2026-11-30","summary":"Revisión semestral","decision":"\(decision)"
         \(reason.map { #","reason":"\#($0)""# } ?? "")\(training.map { #","training":"\#($0)""# } ?? "")}
        """
    }

    /// The published provider's scorecard after a hand-made history. From World: community A's
    /// signed contract (S/ 3,000, May 2027) and its completed, rated one (S/ 3,000, 31 days of
    /// May 2026; rated 4, 5, 4, 4). Added here: the municipality's completed contract (S/ 1,000,
    /// 10 days, 30 families, paid in full), community A's terminated one (S/ 1,000), a cascade of
    /// two trainees, an expired certificate.
    @Test func theScorecardMatchesAHandCount() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let provider = world.publishedProvider.id
        let body = try await withApp(on: world.endpoint) { client in
            let municipal = try await client.send(
                .post, "/v1/contracts", token: staff,
                json: """
                    {"organization_id":"\(world.municipality.id)","provider_id":"\(provider)","title":"Pastos cultivados",
                     "starts_on":"2026-07-01","ends_on":"2026-07-10","amount_cents":100000,"families":30,
                     "funding":[{"source_organization_id":"\(world.municipality.id)","kind":"municipal","amount_cents":100000}]}
                    """
            ).object()
            let municipalPath = "/v1/contracts/\(try #require(municipal["id"] as? String))"
            for step in ["signed", "active"] {
                _ = try await client.send(.post, municipalPath + "/transitions", token: staff, json: #"{"to":"\#(step)"}"#)
            }
            let paid = try await client.send(
                .post, municipalPath + "/payments", token: staff,
                json:
                    #"{"amount_cents":100000,"paid_on":"2026-07-11","method":"bank_transfer","#
                    + #""payer_organization_id":"\#(world.municipality.id)"}"#
            )
            #expect(paid.status == .created)
            _ = try await client.send(.post, municipalPath + "/transitions", token: staff, json: #"{"to":"completed"}"#)
            let terminated = try await RatingRoutesTests.contract(
                client, world, provider: provider, through: ["signed", "active", "terminated"])
            #expect(!terminated.isEmpty)
            for (trainer, trainee) in [(provider, world.unpublishedProvider.id), (world.unpublishedProvider.id, world.ownProvider.id)] {
                let trained = try await client.send(
                    .post, "/v1/trainings", token: staff,
                    json: #"{"trainer_id":"\#(trainer)","trainee_id":"\#(trainee)","skill":"camelids.fibre","held_on":"2025-08-01"}"#)
                #expect(trained.status == .created)
            }
            _ = try await client.send(
                .post, "/v1/providers/\(provider)/certifications", token: staff,
                json: """
                    {"skill":"camelids.fibre","certifier_organization_id":"\(world.agency.id)","issued_on":"2018-03-01",
                     "valid_until":"2020-03-01"}
                    """)
            return try await client.send(.get, "/v1/reports/providers/\(provider)", token: staff).body
        }
        let card = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? JSON)
        let contracts = try #require(card["contracts"] as? JSON)
        #expect(contracts as NSDictionary == ["draft": 0, "signed": 1, "active": 0, "completed": 2, "terminated": 1, "cancelled": 0])
        #expect(card["completion_rate"] as? Double == 0.67)  // 2 completed of 3 ended
        #expect((card["terminations"] as? [JSON])?.map { $0["reason"] as? String } == ["Dejó la obra"])
        #expect(card["buyers"] as? Int == 2 && card["repeat_hire_rate"] as? Double == 0.5)  // community A thrice, the municipality once
        #expect(card["amount_contracted_cents"] as? Int == 800_000)  // 300,000 + 300,000 + 100,000 + 100,000 (the terminated one)
        #expect(card["amount_paid_cents"] as? Int == 100_000)
        #expect(card["days_worked"] as? Int == 41)  // 31 + 10
        #expect(card["families_served"] as? Int == 30)
        #expect(
            (card["districts_served"] as? [JSON])?.map { "\($0["ubigeo"] ?? "") \($0["contracts"] ?? "")" } == ["081206 3", "081205 1"])
        #expect(card["trainees"] as? Int == 1 && card["trainees_in_cascade"] as? Int == 2)
        #expect((card["certifications"] as? [JSON])?.map { $0["expired"] as? Bool } == [true])
        let ratings = try #require(card["ratings"] as? JSON)
        #expect(ratings["count"] as? Int == 1 && ratings["score"] as? Double == 3.6)  // (5 × 3.5 + 4.25) ÷ 6
        #expect((card["ratings_by_year"] as? [JSON])?.map { $0["average"] as? Double } == [4.3])
    }

    /// Advice never reaches the ranking: the shortlist reads the same before and after.
    @Test func needsTrainingLeavesTheShortlistAsItWas() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            let path = "/v1/requests/\(world.requestA.id)/matches"
            let before = try await client.send(.get, path, token: world.tokens[.staff]).items()
            #expect(!before.isEmpty)
            let reviewed = try await client.send(
                .post, "/v1/providers/\(world.publishedProvider.id)/reviews", token: world.tokens[.staff],
                json: Self.review("needs_training", training: "Sanidad de alpacas, Sicuani"))
            #expect(reviewed.status == .created)
            let after = try await client.send(.get, path, token: world.tokens[.staff]).items()
            #expect(AuditTrailTests.canonical(["items": before]) == AuditTrailTests.canonical(["items": after]))
        }
    }

    /// Admin only, with a reason: out of the shortlist; the provider reads and answers;
    /// nothing but a reinstating review brings it back.
    @Test func aSuspensionIsAdminsWithAReasonAndOnlyAReinstatementLiftsIt() async throws {
        let world = try await World.make()
        let admin = world.tokens[.admin], staff = world.tokens[.staff]
        try await withApp(on: world.endpoint) { client in
            let matches = "/v1/requests/\(world.requestA.id)/matches"
            let published = world.publishedProvider.id
            func shortlisted() async throws -> Bool {
                try await client.send(.get, matches, token: staff).items()
                    .contains { ($0["provider"] as? JSON)?["id"] as? String == published.uuidString.lowercased() }
            }
            #expect(try await shortlisted())
            let reviews = "/v1/providers/\(published)/reviews"
            try await client.send(.post, reviews, token: staff, json: Self.review("suspend", reason: "Identidad falsa")).problem(.forbidden)
            try await client.send(.post, reviews, token: admin, json: Self.review("suspend")).problem(.unprocessableContent)
            try await client.send(.post, reviews, token: admin, json: Self.review("reinstate")).problem(.conflict)
            #expect(
                try await client.send(.post, reviews, token: admin, json: Self.review("suspend", reason: "Identidad falsa")).status
                    == .created)
            #expect(try await client.send(.get, "/v1/providers/\(published)", token: staff).object()["status"] as? String == "suspended")
            #expect(try await !shortlisted())
            // A sanction is not announced: to the public and to buyers a suspended talent is not
            // there, on every door (issue 27, finding 7).
            try await client.send(.get, "/v1/providers/\(published)").problem(.notFound)
            try await client.send(.get, "/v1/providers/\(published)", token: world.tokens[.community]).problem(.notFound)
            try await client.send(.get, "/v1/providers/\(published)/ratings").problem(.notFound)
            #expect(try await client.send(.get, "/talents/\(published)").status == .notFound)
            let searched = try await client.send(.get, "/v1/providers?limit=100").items()
            #expect(!searched.contains { $0["provider"].flatMap { ($0 as? JSON)?["id"] as? String } == published.uuidString.lowercased() })
            try await client.send(.post, reviews, token: admin, json: Self.review("suspend", reason: "Otra vez")).problem(.conflict)
            // Staff cannot lift it by hand, nor set it.
            try await client.send(.patch, "/v1/providers/\(published)", token: staff, json: #"{"status":"active"}"#).problem(.conflict)
            try await client.send(.patch, "/v1/providers/\(world.ownProvider.id)", token: staff, json: #"{"status":"suspended"}"#)
                .problem(.conflict)
            #expect(
                try await client.send(.post, reviews, token: admin, json: Self.review("reinstate", reason: "Aclarado")).status == .created)
            #expect(try await shortlisted())

            // The provider user's own profile: suspended, it reads why and answers, once.
            let own = "/v1/providers/\(world.ownProvider.id)/reviews"
            let suspension = try await client.send(
                .post, own, token: admin, json: Self.review("suspend", reason: "Cobró dos veces a las familias")
            ).object()
            let read = try await client.send(.get, own, token: world.tokens[.provider]).items()
            #expect(read.last?["reason"] as? String == "Cobró dos veces a las familias")
            let answer = "/v1/reviews/\(try #require(suspension["id"] as? String))/answer"
            let answered = try await client.send(.post, answer, token: world.tokens[.provider], json: #"{"text":"Devolví el dinero"}"#)
                .object()
            #expect(answered["answer"] as? String == "Devolví el dinero" && answered["answered_at"] is String)
            try await client.send(.post, answer, token: world.tokens[.provider], json: #"{"text":"Otra vez"}"#).problem(.conflict)
            try await client.send(.post, answer, token: staff, json: #"{"text":"Por ella"}"#).problem(.forbidden)
        }
        #expect(try await world.count("SELECT count(*) FROM provider_reviews WHERE decision = 'suspend'") == 2)
    }
}
