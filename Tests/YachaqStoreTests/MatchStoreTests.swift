import Foundation
import PostgresNIO
import Testing
import YachaqDomain
import YachaqTestSupport
@testable import YachaqStore

/// The shortlist on hand-built registries where the right answer is obvious.
@Suite struct MatchStoreTests {
    struct Market {
        let client: Database
        let registry: ProviderStoreTests.Registry
        let buyer: Organization

        init(_ client: Database) async throws {
            self.client = client
            registry = ProviderStoreTests.Registry(client)
            buyer = try await OrganizationStore(database: client, logger: TestDatabase.logger)
                .create(
                    try await NewOrganization(name: "Comunidad de Prueba", kind: "community", ubigeo: "080101").draft(on: client),
                    actor: nil)
        }

        /// A request in Cusco (080101), 2027-03-01 to 2027-05-31, for sprinkler irrigation in `languages`.
        func request(
            languages: [String] = ["quz"], skills: [String] = ["water.sprinkler"], mustLiveIn: Bool = false, preferredGender: String? = nil
        ) async throws -> ServiceRequest {
            try await ServiceRequestStore(database: client, logger: TestDatabase.logger).create(
                NewServiceRequest(
                    title: "Riego por aspersión", skills: skills, languages: languages, ubigeo: "080101", startsOn: "2027-03-01",
                    endsOn: "2027-05-31",
                    budgetCents: 900_000, mustLiveInCommunity: mustLiveIn, preferredGender: preferredGender
                ).draft(on: client),
                organizationID: buyer.id, actor: nil)
        }

        func shortlist(_ request: ServiceRequest) async throws -> [Match] {
            try await MatchStore(database: client, logger: TestDatabase.logger).shortlist(request: request.id, limit: 50)
        }

        func names(_ request: ServiceRequest) async throws -> [String] {
            try await shortlist(request).map(\.provider.fullName)
        }

        /// A contract of the provider in any status, funded by its buyer, straight into the tables.
        func contract(_ provider: Provider, from: String, to: String, exclusive: Bool, status: String) async throws -> UUID {
            try await client.query(
                """
                WITH contract AS (
                    INSERT INTO contracts (organization_id, provider_id, title, ubigeo, period, amount_cents, exclusive, status)
                    VALUES (\(buyer.id), \(provider.id), 'Trabajo anterior', \(buyer.ubigeo), daterange(\(from)::date, \(to)::date, '[]'),
                            100000, \(exclusive), \(status))
                    RETURNING id, organization_id, amount_cents
                ), line AS (
                    INSERT INTO contract_funding (contract_id, source_organization_id, kind, amount_cents, position)
                    SELECT id, organization_id, 'counterpart_cash', amount_cents, 0 FROM contract
                )
                SELECT id FROM contract
                """
            ).collect().first!.decode(UUID.self)
        }

        func rate(_ provider: Provider, _ score: Int, times: Int) async throws {
            for index in 0..<times {
                let contract = try await contract(
                    provider, from: "2020-01-0\(index % 9 + 1)", to: "2020-01-10", exclusive: false, status: "completed")
                try await client.query(
                    """
                    INSERT INTO ratings (contract_id, provider_id, organization_id, technical, communication, punctuality, results)
                    VALUES (\(contract), \(provider.id), \(buyer.id), \(score), \(score), \(score), \(score))
                    """)
            }
        }
    }

    func withMarket(_ body: (Market) async throws -> Void) async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { try await body(try await Market($0)) }
    }

    /// Each row: a provider that one hard rule must leave out, next to one that passes.
    @Test(arguments: [
        "inactive", "unpublished", "no required skill", "speaks it at level 1", "speaks only Spanish", "beyond its travel radius",
        "booked exclusively on overlapping days",
    ])
    func aHardRuleLeavesOut(_ rule: String) async throws {
        try await withMarket { market in
            try await market.registry.add("Passes Every Rule")
            let excluded: Provider
            switch rule {
            case "no required skill": excluded = try await market.registry.add("Left Out", skills: ["camelids.fibre"])
            case "speaks it at level 1": excluded = try await market.registry.add("Left Out", languages: [("quz", 1)])
            case "speaks only Spanish": excluded = try await market.registry.add("Left Out", languages: [("spa", 4)])
            case "beyond its travel radius":
                // Puno, 332 km away; the radius is 50.
                excluded = try await market.registry.add("Left Out", home: "210101")
            case "unpublished": excluded = try await market.registry.add("Left Out", published: false)
            default: excluded = try await market.registry.add("Left Out")
            }
            if rule == "inactive" {
                _ = try await market.registry.update(excluded.id) { $0.status = "inactive" }
            }
            if rule == "booked exclusively on overlapping days" {
                _ = try await market.contract(excluded, from: "2027-05-15", to: "2027-08-15", exclusive: true, status: "signed")
            }
            #expect(try await market.names(try await market.request()) == ["Passes Every Rule"])
        }
    }

    @Test func otherContractsDoNotBlock() async throws {
        try await withMarket { market in
            let free = try await market.registry.add("Exclusive Elsewhere In Time")
            _ = try await market.contract(free, from: "2026-01-01", to: "2027-02-28", exclusive: true, status: "active")
            let shared = try await market.registry.add("Part Time Overlap")
            _ = try await market.contract(shared, from: "2027-04-01", to: "2027-04-30", exclusive: false, status: "signed")
            let draft = try await market.registry.add("Draft Overlap")
            _ = try await market.contract(draft, from: "2027-04-01", to: "2027-04-30", exclusive: true, status: "draft")
            #expect(
                try await market.names(try await market.request()).sorted() == [
                    "Draft Overlap", "Exclusive Elsewhere In Time", "Part Time Overlap",
                ])
        }
    }

    @Test func theExactVarietyBeatsAnotherVarietyWhichStillCounts() async throws {
        try await withMarket { market in
            try await market.registry.add("Ayacucho Speaker", languages: [("quy", 4)])
            try await market.registry.add("Cusco Speaker", languages: [("quz", 4)])
            #expect(try await market.names(try await market.request(languages: ["quz"])) == ["Cusco Speaker", "Ayacucho Speaker"])
            let anyQuechua = try await market.shortlist(try await market.request(languages: ["que"]))
            #expect(anyQuechua.count == 2)
            #expect(abs(anyQuechua[0].score - anyQuechua[1].score) < 1e-9)  // both exact for "any Quechua": the tie breaks by id
            #expect(anyQuechua[0].provider.id.uuidString < anyQuechua[1].provider.id.uuidString)
        }
    }

    @Test func closerRanksHigher() async throws {
        try await withMarket { market in
            try await market.registry.add("Farther", home: "080108")  // Poroy, ~10 km
            try await market.registry.add("Closer", home: "080101")
            let matches = try await market.shortlist(try await market.request())
            #expect(matches.map(\.provider.fullName) == ["Closer", "Farther"])
            #expect(matches[0].distanceKm < matches[1].distanceKm)
        }
    }

    /// Twenty ratings of 4.6 outrank one of 5 (both with twenty completed contracts, so
    /// experience is equal and only the rating differs).
    @Test func manyGoodRatingsBeatOnePerfectOne() async throws {
        try await withMarket { market in
            let steady = try await market.registry.add("Twenty At 4.6")
            let lucky = try await market.registry.add("Once At 5")
            try await market.rate(lucky, 5, times: 1)
            for index in 0..<19 {
                _ = try await market.contract(
                    lucky, from: "2019-0\(index % 9 + 1)-01", to: "2019-0\(index % 9 + 1)-05", exclusive: false, status: "completed")
            }
            // 4.6 on average: 12 ratings of 5 and 8 of 4.
            try await market.rate(steady, 5, times: 12)
            try await market.rate(steady, 4, times: 8)
            let matches = try await market.shortlist(try await market.request())
            #expect(matches.map(\.provider.fullName) == ["Twenty At 4.6", "Once At 5"])
            let rating = matches.map { $0.reasons.first { $0.factor == .rating }! }
            #expect(abs(rating[0].value - (RatingPrior.bayesianAverage(sum: 92, count: 20) - 1) / 4) < 1e-9)
            #expect(abs(rating[1].value - (RatingPrior.bayesianAverage(sum: 5, count: 1) - 1) / 4) < 1e-9)
        }
    }

    @Test func reasonsAddUpToTheScoreAndCoverEveryFactor() async throws {
        try await withMarket { market in
            try await market.registry.add(
                "Rosa Quispe", home: "080108", languages: [("quz", 3)], skills: ["water.sprinkler", "water.canals"])
            try await market.registry.add(
                "Pedro Mamani", home: "080101", languages: [("qxp", 4)], skills: ["water.harvesting", "water.sprinkler"])
            let matches = try await market.shortlist(
                try await market.request(skills: ["water.sprinkler", "water.canals"], mustLiveIn: true, preferredGender: "female"))
            #expect(matches.count == 2)
            for match in matches {
                #expect(match.reasons.map(\.factor) == MatchFactor.allCases)
                #expect(abs(match.reasons.reduce(0) { $0 + $1.points } - match.score) < 1e-9)
                #expect(match.reasons.allSatisfy { (0...1).contains($0.value) })
            }
            let pedro = try #require(matches.first { $0.provider.fullName == "Pedro Mamani" })
            let skills = try #require(pedro.reasons.first { $0.factor == .skills })
            #expect(abs(skills.value - 3.0 / 8) < 1e-9)  // level 3 in one of the two skills asked for
            #expect(skills.code == "skills_some" && skills.params["missing"] == "water.canals")
            #expect(matches.allSatisfy { $0.provider.nationalID == nil && $0.provider.phone == nil })
        }
    }
}

extension MatchStoreTests {
    @Test func speakingStartsAtTheMinimumLevel() async throws {
        try await withMarket { market in
            try await market.registry.add("Just Enough", languages: [("quz", MatchRules.minimumSpeaking)])
            try await market.registry.add("Not Quite", languages: [("quz", MatchRules.minimumSpeaking - 1)])
            #expect(try await market.names(try await market.request()) == ["Just Enough"])
        }
    }

    /// A speaker of plain "que" (no variety given) asked for Cusco Quechua: found, as another variety.
    @Test func theMacrolanguageItselfCountsAsAnotherVariety() async throws {
        try await withMarket { market in
            try await market.registry.add("Says Just Quechua", languages: [("que", 4)])
            let matches = try await market.shortlist(try await market.request(languages: ["quz"]))
            let language = try #require(matches.first?.reasons.first { $0.factor == .language })
            #expect(abs(language.value - MatchRules.otherVarietyFactor) < 1e-9)
            #expect(language.code == "language_variety" && language.params["language"] == "que")
        }
    }
}

extension MatchStoreTests {
    /// The ranking reads every wanted key a request may have: 8 skills, and 4 languages that
    /// look up 8 keys with their macrolanguages (SQL/0021 writes the lookups out, 8 of each).
    /// The provider fits only through the last key of each in the query's (sorted) order.
    @Test func theLastOfTheMostKeysARequestMayHaveCounts() async throws {
        try await withMarket { market in
            try await market.registry.add("Last Of Eight", languages: [("qxp", 3)], skills: ["water.sprinkler"])
            let skills = [
                "agroprocessing.dairy_products", "bookkeeping.records", "business.fairs", "camelids.fibre", "crafts.weaving",
                "crops.seed_banks", "finance.credit", "water.sprinkler",
            ]
            let languages = ["ayr", "quz", "quy", "qxp"]  // keys: aym ayr que que que quy quz qxp
            #expect(skills.count == NewServiceRequest.mostSkills && languages.count == NewServiceRequest.mostLanguages)
            let request = try await market.request(languages: languages, skills: skills)
            let match = try #require(try await market.shortlist(request).first)
            let skillsValue = try #require(match.reasons.first { $0.factor == .skills }).value
            let languageValue = try #require(match.reasons.first { $0.factor == .language }).value
            #expect(abs(skillsValue - 3.0 / 32) < 1e-9)  // level 3 of 4 in one of eight skills
            #expect(abs(languageValue - 0.75) < 1e-9)  // the exact variety, at level 3 of 4

            await #expect(throws: InvalidInput.self) {
                try await market.request(languages: languages, skills: skills + ["water.canals"])
            }
            // Written past the domain's check, a ninth skill stops the ranking instead of being ignored.
            try await market.client.query(
                "INSERT INTO request_skills (request_id, skill_code) VALUES (\(request.id), 'water.canals')")
            await #expect(throws: (any Error).self) { try await market.shortlist(request) }
        }
    }
}
