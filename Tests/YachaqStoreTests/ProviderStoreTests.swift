import Foundation
import PostgresNIO
import Testing
import YachaqDomain
import YachaqTestSupport
@testable import YachaqStore

/// The registry against a real PostgreSQL: search rules, distances, lineage, import/export.
@Suite struct ProviderStoreTests {
    struct Registry {
        let client: Database
        let providers: ProviderStore
        let lineage: LineageStore

        init(_ client: Database) {
            self.client = client
            providers = ProviderStore(database: client, logger: TestDatabase.logger)
            lineage = LineageStore(database: client, logger: TestDatabase.logger)
        }

        @discardableResult
        func add(
            _ name: String, home: String = "080101", languages: [(String, Int)] = [("quz", 4)], skills: [String] = ["water.sprinkler"],
            kind: String = "yachachiq", published: Bool = true
        ) async throws -> Provider {
            try await providers.create(
                ProviderInput(
                    fullName: name, kind: kind, gender: "female", homeUbigeo: home, dailyRateCents: 8000, travelRadiusKm: 50,
                    languages: languages.map { ProviderLanguage(code: $0.0, speaking: $0.1, understanding: 4, reading: 2, writing: 2) },
                    skills: skills.map { ProviderSkill(code: $0, level: 3, years: 4) }, consentToPublish: published
                ).draft(on: client), actor: nil)
        }

        /// Changes the profile as staff would (`standing`), through the same check as the routes.
        @discardableResult
        func update(_ id: UUID, _ change: @escaping @Sendable (inout ProviderInput) -> Void) async throws -> Provider {
            let codes = try await client.referenceCodes()
            return try await providers.update(id, actor: nil, standing: true) { current in
                var input = current
                change(&input)
                return try input.checked(against: codes)
            }
        }

        func record(_ training: NewTraining) async throws -> Training {
            try await lineage.record(try await training.draft(on: client), actor: nil)
        }

        func names(_ configure: (inout ProviderSearch) -> Void) async throws -> [String] {
            var search = ProviderSearch()
            configure(&search)
            return try await providers.search(search).items.map(\.provider.fullName).sorted()
        }
    }

    func withRegistry(_ body: (Registry) async throws -> Void) async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { try await body(Registry($0)) }
    }

    @Test func aMacrolanguageFindsEveryVarietyAndAVarietyOnlyItself() async throws {
        try await withRegistry { registry in
            try await registry.add("Cusco Speaker", languages: [("quz", 4)])
            try await registry.add("Ayacucho Speaker", languages: [("quy", 3)])
            try await registry.add("Weak Speaker", languages: [("qxp", 1)])
            try await registry.add("Spanish Only", languages: [("spa", 4)])
            #expect(try await registry.names { $0.language = "que" } == ["Ayacucho Speaker", "Cusco Speaker", "Weak Speaker"])
            #expect(try await registry.names { $0.language = "quz" } == ["Cusco Speaker"])
            #expect(
                try await registry.names {
                    $0.language = "que"
                    $0.minSpeaking = 3
                } == ["Ayacucho Speaker", "Cusco Speaker"])
        }
    }

    @Test func aSkillGroupFindsItsSkills() async throws {
        try await withRegistry { registry in
            try await registry.add("Irrigator", skills: ["water.sprinkler"])
            try await registry.add("Herder", skills: ["camelids.fibre"])
            #expect(try await registry.names { $0.skill = "water" } == ["Irrigator"])
            #expect(try await registry.names { $0.skill = "water.sprinkler" } == ["Irrigator"])
            #expect(try await registry.names { $0.skill = "wat" }.isEmpty)
        }
    }

    /// Great circle between the capitals of Cusco (080101) and Puno (210101) on
    /// earthdistance's sphere (radius 6,378.168 km), by the haversine formula: about 332 km.
    @Test func distancesAreGreatCirclesBetweenCapitals() async throws {
        func haversine(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
            let radians = Double.pi / 180, (φ1, φ2) = (a.0 * radians, b.0 * radians)
            let h = pow(sin((φ2 - φ1) / 2), 2) + cos(φ1) * cos(φ2) * pow(sin((b.1 - a.1) * radians / 2), 2)
            return 2 * 6378.168 * asin(sqrt(h))
        }
        let expected = haversine((-13.51916667, -71.97666667), (-15.84027778, -70.02805556))
        #expect(abs(expected - 332) < 2)
        try await withRegistry { registry in
            try await registry.add("In Puno", home: "210101")
            try await registry.add("In Cusco", home: "080101")
            var search = ProviderSearch()
            search.near = (-13.51916667, -71.97666667)
            search.radiusKm = 400
            let hits = try await registry.providers.search(search).items
            #expect(hits.map(\.provider.fullName) == ["In Cusco", "In Puno"])
            #expect(abs(hits[1].distanceKm! - expected) < 0.5)
            #expect(hits[0].distanceKm! < 0.01)
            search.radiusKm = 300
            #expect(try await registry.providers.search(search).items.map(\.provider.fullName) == ["In Cusco"])
        }
    }

    @Test(arguments: ["quispe mamany", "QUISPE MAMANI", "quíspe", "mamani"])
    func nameSearchForgivesTyposAndAccents(_ query: String) async throws {
        try await withRegistry { registry in
            try await registry.add("Rosa Quispe Mamani")
            try await registry.add("Teófilo Condori Apaza")
            #expect(try await registry.names { $0.text = query } == ["Rosa Quispe Mamani"])
        }
    }

    @Test func onlyStaffSearchesFindUnpublishedOrInactiveProfiles() async throws {
        try await withRegistry { registry in
            try await registry.add("Public", published: true)
            try await registry.add("Private", published: false)
            #expect(try await registry.names { _ in } == ["Public"])
            #expect(try await registry.names { $0.includeUnpublished = true } == ["Private", "Public"])
        }
    }

    @Test func pagesOfASearchNeitherRepeatNorSkip() async throws {
        try await withRegistry { registry in
            for index in 0..<7 { try await registry.add("Talent \(index)", home: ["080101", "080601", "210101"][index % 3]) }
            for configure in [
                { (_: inout ProviderSearch) in },
                {
                    $0.near = (-13.52, -71.98)
                    $0.radiusKm = 500
                }, { $0.text = "talent" },
            ] as [(inout ProviderSearch) -> Void] {
                var search = ProviderSearch()
                configure(&search)
                search.limit = 3
                var seen: [String] = []
                repeat {
                    let page = try await registry.providers.search(search)
                    seen += page.items.map(\.provider.fullName)
                    search.cursor = page.nextCursor
                } while search.cursor != nil
                #expect(seen.count == 7 && Set(seen).count == 7)
            }
        }
    }

    @Test func lineageReachesEveryDepthAndRefusesLoops() async throws {
        try await withRegistry { registry in
            let a = try await registry.add("A Yachaq", kind: "yachaq")
            let b = try await registry.add("B Yachachiq")
            let c = try await registry.add("C Yachachiq")
            let d = try await registry.add("D Yachachiq")
            for (trainer, trainee) in [(a, b), (b, c), (c, d)] {
                _ = try await registry.record(
                    NewTraining(trainerID: trainer.id, traineeID: trainee.id, skill: "water.sprinkler", heldOn: "2020-01-01"))
            }
            let fromD = try await registry.lineage.lineage(of: d.id, publishedOnly: true)
            #expect(fromD.trainers.map(\.provider.fullName) == ["C Yachachiq", "B Yachachiq", "A Yachaq"])
            #expect(fromD.trainers.map(\.depth) == [1, 2, 3])
            let fromA = try await registry.lineage.lineage(of: a.id, publishedOnly: true)
            #expect(fromA.trainees.map(\.provider.fullName) == ["B Yachachiq", "C Yachachiq", "D Yachachiq"])
            #expect(fromA.trainers.isEmpty)

            // D training A would make A (and B, C) their own trainers.
            await #expect(throws: InvalidInput.self) {
                try await registry.record(NewTraining(trainerID: d.id, traineeID: a.id, skill: "water.sprinkler", heldOn: "2024-01-01"))
            }
            await #expect(throws: InvalidInput.self) {
                try await registry.record(NewTraining(trainerID: a.id, traineeID: a.id, skill: "water.sprinkler", heldOn: "2024-01-01"))
            }
        }
    }

    /// Two trainings that would close a loop only together, sent at once: one is refused.
    @Test func concurrentOppositeTrainingsCannotBothLand() async throws {
        try await withRegistry { registry in
            let a = try await registry.add("Ana")
            let b = try await registry.add("Beto")
            async let ab = Result {
                try await registry.record(NewTraining(trainerID: a.id, traineeID: b.id, skill: "water.sprinkler", heldOn: "2024-01-01"))
            }
            async let ba = Result {
                try await registry.record(NewTraining(trainerID: b.id, traineeID: a.id, skill: "water.sprinkler", heldOn: "2024-01-01"))
            }
            let outcomes = await [ab, ba]
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
        }
    }

    /// A loop written before the check existed (straight into the table) does not hang the walk.
    @Test func aLoopInStoredDataDoesNotHangTheLineage() async throws {
        try await withRegistry { registry in
            let a = try await registry.add("Ana")
            let b = try await registry.add("Beto")
            try await registry.client.query(
                """
                INSERT INTO trainings (trainer_id, trainee_id, skill_code, held_on)
                VALUES (\(a.id), \(b.id), 'water.sprinkler', '2020-01-01'), (\(b.id), \(a.id), 'water.sprinkler', '2021-01-01')
                """
            )
            let lineage = try await registry.lineage.lineage(of: a.id, publishedOnly: false)
            #expect(lineage.trainers.count <= 2 && lineage.trainees.count <= 2)
        }
    }

    @Test func concurrentChangesToOneProfileAreBothKept() async throws {
        try await withRegistry { registry in
            let provider = try await registry.add("Changed Twice")
            async let rate = registry.update(provider.id) { $0.dailyRateCents = 12_000 }
            async let bio = registry.update(provider.id) { $0.bio = "Riego tecnificado" }
            _ = try await (rate, bio)
            let stored = try #require(try await registry.providers.find(provider.id))
            #expect(stored.dailyRateCents == 12_000 && stored.bio == "Riego tecnificado")
            let audits = try await registry.client.query(
                """
                SELECT count(*) FROM audit_log
                WHERE entity = 'provider' AND action = 'update' AND entity_id = \(provider.id.uuidString.lowercased())
                """
            ).collect().first!.decode(Int.self)
            #expect(audits == 2)
        }
    }

    @Test func importsGoodRowsAndNamesTheBadOnesByLine() async throws {
        let csv = """
            full_name,kind,gender,national_id,home_ubigeo,daily_rate_cents,travel_radius_km,languages,skills,consent_to_publish
            Rosa Quispe,yachachiq,female,41234567,080101,8000,50,quz:4/4/2/1:teach;spa:3/4/3/3,water.sprinkler:3/5,true
            Bad Dni,yachachiq,female,1234,080101,8000,50,quz:4/4/2/1,,true
            Bad Place,yachachiq,male,,999999,8000,50,,,true
            "Huamán, Pedro",yachaq,male,,210101,12000,80,qxp:4/4/3/3,camelids.fibre:4/12,true
            Again Rosa,yachachiq,female,41234567,080101,8000,50,,,true
            Bad Level,tecnico,other,,080101,8000,50,quz:5/4/2/1,,true

            """
        try await withRegistry { registry in
            let report = try await registry.providers.importCSV(
                ProviderCSV.read(CSVText.records(csv), codes: registry.client.referenceCodes()), allOrNothing: false, actor: nil)
            #expect(report.rows == 6 && report.imported == 2)
            #expect(report.refused.map(\.line) == [3, 4, 6, 7])
            #expect(report.refused[0].reason.contains("national_id"))
            #expect(report.refused[1].reason.contains("home_ubigeo"))
            #expect(report.refused[2].reason.contains("line 2"))
            #expect(report.refused[3].reason.contains("languages[0].speaking"))
            #expect(try await registry.names { $0.includeUnpublished = true } == ["Huamán, Pedro", "Rosa Quispe"])
        }
        try await withRegistry { registry in
            let report = try await registry.providers.importCSV(
                ProviderCSV.read(CSVText.records(csv), codes: registry.client.referenceCodes()), allOrNothing: true, actor: nil)
            #expect(report.imported == 0 && report.refused.count == 4)
            #expect(try await registry.names { $0.includeUnpublished = true }.isEmpty)
        }
    }

    @Test func exportThenImportGivesTheSameFile() async throws {
        var first = ""
        try await withRegistry { registry in
            try await registry.add("Rosa Quispe", languages: [("quz", 4), ("spa", 3)], skills: ["water.sprinkler", "crops.seed_banks"])
            _ = try await registry.providers.create(
                ProviderInput(
                    fullName: "Pedro \"Wayra\" Huamán, hijo", kind: "yachaq", gender: "male", birthYear: 1975, nationalID: "40111222",
                    phone: "+51984000111",
                    bio: "Riego por aspersión\ny qochas", homeUbigeo: "210101", dailyRateCents: 15000, travelRadiusKm: 120,
                    willLiveInCommunity: true,
                    languages: [ProviderLanguage(code: "qxp", speaking: 4, understanding: 4, reading: 3, writing: 3, canTeach: true)],
                    skills: [ProviderSkill(code: "camelids.fibre", level: 4, years: 20)], status: "inactive", consentToPublish: false
                ).draft(on: registry.client), actor: nil)
            _ = try await registry.providers.exportCSV { first += $0 }
        }
        var second = ""
        try await withRegistry { registry in
            let report = try await registry.providers.importCSV(
                ProviderCSV.read(CSVText.records(first), codes: registry.client.referenceCodes()), allOrNothing: true, actor: nil)
            #expect(report.imported == 2 && report.refused.isEmpty)
            _ = try await registry.providers.exportCSV { second += $0 }
        }
        #expect(first == second)
        #expect(first.split(separator: "\n").count == 4)  // header, two rows, one bio line break inside quotes
    }
}

/// The CSV layer: quoting both ways, and the line each record starts on.
@Suite struct CSVTextTests {
    @Test func quotesRoundTripAndRecordsKnowTheirLines() throws {
        let fields = ["Pedro \"Wayra\" Huamán, hijo", "line\nbreak", "plain", ""]
        let text = CSVText.text([fields, ["a", "b"]])
        #expect(text == "\"Pedro \"\"Wayra\"\" Huamán, hijo\",\"line\nbreak\",plain,\na,b\n")
        let records = try CSVText.records(text + "\nc,d\r\ne,f\n")
        #expect(records.map(\.fields) == [fields, ["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(records.map(\.line) == [1, 3, 5, 6])
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
