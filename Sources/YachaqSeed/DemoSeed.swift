import Foundation
import PostgresNIO
import YachaqDomain
import YachaqStore

/// A believable registry for trying Yachaq out: talents of the southern highlands and
/// Cajamarca with the Quechua (or Aymara) of their districts, skills of their regions,
/// cascades of yachaq training yachachiq, a few organisations and one user per role.
/// The same seed gives the same data.
public struct DemoSeed: Sendable {
    /// A department, the language varieties its talents speak (with weights) and the skills its projects ask for.
    struct Region {
        let department: String
        let varieties: [(code: String, weight: Int)]
        let skills: [String]
    }

    static let regions: [Region] = [
        Region(
            department: "Cusco", varieties: [("quz", 10)],
            skills: [
                "water.sprinkler", "water.harvesting", "crops.native_potato", "crops.seed_banks", "tourism.lodging", "crafts.weaving",
                "livestock.guinea_pigs", "nrm.soil_conservation",
            ]),
        Region(
            department: "Puno", varieties: [("qxp", 7), ("ayr", 3)],
            skills: [
                "camelids.alpaca_breeding", "camelids.fibre", "camelids.health", "crops.andean_grains", "livestock.sheep",
                "crafts.natural_dyes", "finance.savings",
            ]),
        Region(
            department: "Apurímac", varieties: [("quy", 6), ("qve", 4)],
            skills: [
                "water.canals", "water.committee", "livestock.cattle_fattening", "livestock.animal_health", "business.plans",
                "crops.family_gardens",
            ]),
        Region(
            department: "Ayacucho", varieties: [("quy", 10)],
            skills: [
                "camelids.health", "water.harvesting", "crops.andean_grains", "crafts.ceramics", "nrm.reforestation", "finance.savings",
            ]),
        Region(
            department: "Huancavelica", varieties: [("quy", 10)],
            skills: [
                "camelids.alpaca_breeding", "nrm.pasture_management", "livestock.animal_health", "crops.native_potato",
                "agroprocessing.dehydration",
            ]),
        Region(
            department: "Cajamarca", varieties: [("qvc", 3), ("spa", 7)],
            skills: [
                "livestock.dairy", "agroprocessing.dairy_products", "crops.fruit_trees", "nrm.composting", "business.fairs",
                "bookkeeping.records",
            ]),
    ]

    static let womenNames = [
        "Rosa", "María", "Juana", "Nélida", "Yolanda", "Sabina", "Eusebia", "Marleny", "Flor", "Lourdes", "Hilda", "Vilma", "Paulina",
        "Teodora", "Sonia", "Justina", "Celestina", "Dominga", "Felícitas", "Ayda",
    ]
    static let menNames = [
        "Juan", "Pedro", "Wilber", "Efraín", "Ciprián", "Teófilo", "Hilario", "Wilfredo", "Percy", "Edwin", "Alipio", "Fortunato",
        "Marcelino", "Santos", "Rubén", "Valentín", "Nicanor", "Gregorio", "Saturnino", "Clemente",
    ]
    static let surnames = [
        "Quispe", "Mamani", "Huamán", "Condori", "Ccama", "Choque", "Apaza", "Huanca", "Yupanqui", "Cusi", "Ttito",
        "Sonco", "Puma", "Illa",
        "Ccori", "Chambi", "Layme", "Pari", "Cutipa", "Huarcaya", "Cahuana", "Ayma", "Taype", "Huillca", "García", "Flores", "Rojas",
        "Gutiérrez", "Vargas", "Ramos", "Torres", "Mendoza", "Chávez", "Sánchez",
    ]

    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Demo users, one per role, and their passwords (to print once).
    public struct Accounts: Sendable {
        public var logins: [(login: String, role: Role, password: String)]
    }

    /// Fills an empty registry; refuses one that has providers already.
    /// `hash` turns each generated password into what the users table stores.
    public func run(providers count: Int = 300, seed: UInt64 = 2026, hash: (String) async throws -> String) async throws -> Accounts {
        let existing = try await database.query("SELECT count(*) FROM providers").collect().first!.decode(Int.self)
        guard existing == 0 else {
            throw StoreError.conflict("The registry already has \(existing) providers; demo data goes into an empty one.")
        }
        var random = SeededRandom(seed: seed)
        let districts = try await districtsByDepartment()
        // The demo goes in as a client's data would: each input checked into a draft first.
        let codes = try await ReferenceStore(database: database).codes()

        // Organisations: the agency, two municipalities, communities and associations.
        let organizations = OrganizationStore(database: database, logger: logger)
        func organization(_ input: NewOrganization) async throws -> Organization {
            try await organizations.create(try input.checked(against: codes), actor: nil)
        }
        let agency = try await organization(NewOrganization(name: "Proyecto Sierra Productiva", kind: "agency", ubigeo: "080101"))
        let municipality = try await organization(
            NewOrganization(name: "Municipalidad Distrital de Ocongate", kind: "municipality", ubigeo: "081205", taxID: "20147797100"))
        _ = try await organization(NewOrganization(name: "Municipalidad Provincial de Andahuaylas", kind: "municipality", ubigeo: "030201"))
        let community = try await organization(
            NewOrganization(name: "Comunidad Campesina de Chillihuani", kind: "community", ubigeo: "081206"))
        for (name, kind, ubigeo) in [
            ("Comunidad Campesina de Pinaya", "community", "210101"), ("Asociación de Alpaqueros de Macusani", "association", "210301"),
            ("Comunidad Campesina de Quispillacta", "community", "050507"),
            ("Asociación de Productores Lecheros de Bambamarca", "association", "060401"),
        ] {
            _ = try await organization(NewOrganization(name: name, kind: kind, ubigeo: ubigeo))
        }

        // Talents: a tenth yachaq, most yachachiq, the rest técnicos and profesionales.
        var drafts: [(id: UUID, draft: ProviderDraft, department: String)] = []
        var dniUsed: Set<String> = []
        for index in 0..<count {
            let region = Self.regions[index % Self.regions.count]
            let female = random.chance(0.55)
            let name =
                "\(random.pick(female ? Self.womenNames : Self.menNames)) \(random.pick(Self.surnames)) \(random.pick(Self.surnames))"
            let roll = random.int(0..<100)
            let kind: ProviderKind = roll < 10 ? .yachaq : roll < 72 ? .yachachiq : roll < 92 ? .tecnico : .profesional
            let rate: Int64 =
                switch kind {
                case .yachachiq: Int64(random.int(50...90)) * 100
                case .yachaq: Int64(random.int(80...150)) * 100
                case .tecnico: Int64(random.int(100...180)) * 100
                case .profesional: Int64(random.int(150...300)) * 100
                }
            var dni: String
            repeat { dni = String(format: "%08d", random.int(10_000_000...79_999_999)) } while !dniUsed.insert(dni).inserted
            let variety = random.weighted(region.varieties)
            var languages = [ProviderLanguage]()
            if variety != "spa" {
                let reading = random.int(1...4)
                languages.append(
                    ProviderLanguage(
                        code: variety, speaking: random.int(3...4), understanding: 4, reading: reading,
                        writing: max(0, reading - random.int(0...1)), canTeach: kind == .yachaq || random.chance(0.3)))
            }
            languages.append(
                ProviderLanguage(
                    code: "spa", speaking: random.int(2...4), understanding: random.int(3...4), reading: random.int(2...4),
                    writing: random.int(2...4)))
            let skills = random.sample(region.skills, count: random.int(1...3)).map { code in
                ProviderSkill(code: code, level: kind == .yachaq ? random.int(3...4) : random.int(1...4), years: random.int(1...20))
            }
            let input = ProviderInput(
                fullName: name, kind: kind.rawValue, gender: female ? "female" : "male", birthYear: random.int(1965...2002),
                nationalID: dni,
                phone: "9\(random.int(10_000_000...99_999_999))", bio: nil, homeUbigeo: random.pick(districts[region.department]!),
                dailyRateCents: rate, travelRadiusKm: [20, 30, 50, 80, 120][random.int(0..<5)], willLiveInCommunity: random.chance(0.6),
                languages: languages, skills: skills, status: random.chance(0.95) ? "active" : "inactive",
                consentToPublish: random.chance(0.92)
            )
            drafts.append((UUID(), try input.checked(against: codes), region.department))
        }
        try await ProviderStore(database: database, logger: logger).add(drafts.map { ($0.id, $0.draft) }, actor: nil)

        // Cascades: each yachaq trains yachachiq of the same department, and some of those train others.
        let lineage = LineageStore(database: database, logger: logger)
        func train(_ input: NewTraining) async throws { _ = try await lineage.record(try input.checked(against: codes), actor: nil) }
        for department in Self.regions.map(\.department) {
            let local = drafts.filter { $0.department == department }
            let trainers = local.filter { $0.draft.kind == .yachaq }
            var trainees = local.filter { $0.draft.kind == .yachachiq }
            for trainer in trainers where !trainees.isEmpty {
                let firstGeneration = Array(trainees.prefix(random.int(3...6)))
                trainees.removeFirst(firstGeneration.count)
                for trainee in firstGeneration {
                    let skill = trainer.draft.skills[0].code
                    try await train(
                        NewTraining(
                            trainerID: trainer.id, traineeID: trainee.id, skill: skill, organizationID: agency.id,
                            heldOn: "20\(random.int(10...18))-0\(random.int(1...9))-1\(random.int(0...9))"))
                    if random.chance(0.4), let next = trainees.first {
                        trainees.removeFirst()
                        try await train(
                            NewTraining(
                                trainerID: trainee.id, traineeID: next.id, skill: skill, organizationID: community.id,
                                heldOn: "20\(random.int(19...25))-0\(random.int(1...9))-2\(random.int(0...8))"))
                    }
                }
            }
        }
        for row in drafts where row.draft.kind == .yachaq {
            let certification = NewCertification(
                skill: row.draft.skills[0].code, certifierOrganizationID: agency.id, issuedOn: "2019-06-15",
                validUntil: random.chance(0.5) ? "2024-06-15" : "2029-06-15")
            _ = try await lineage.certify(row.id, try certification.checked(against: codes), actor: nil)
        }

        try await DemoMarket(database: database, logger: logger, codes: codes)
            .run(agency: agency, municipality: municipality, community: community)

        // One user per role, with generated passwords.
        let users = UserStore(database: database, logger: logger)
        let linked = drafts.first { $0.draft.kind == .yachachiq }!.id
        var accounts = Accounts(logins: [])
        for (login, role, organization, provider) in [
            ("admin", Role.admin, nil, nil), ("staff", .staff, agency.id, nil), ("ocongate", .municipality, municipality.id, nil),
            ("chillihuani", .community, community.id, nil), ("yachachiq", .provider, nil, Optional(linked)),
        ] as [(String, Role, UUID?, UUID?)] {
            // From the system's generator, not the seeded one: not guessable from the seed.
            let password = NewUser.generatedPassword()
            let draft = try NewUser(
                login: login, password: password, role: role.rawValue, organizationID: organization, providerID: provider
            ).checked()
            _ = try await users.create(draft, passwordHash: try await hash(password), actor: nil)
            accounts.logins.append((login, role, password))
        }
        return accounts
    }

    private func districtsByDepartment() async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for try await (department, ubigeo) in try await database.query("SELECT department, ubigeo FROM districts ORDER BY ubigeo").decode(
            (String, String).self)
        {
            result[department, default: []].append(ubigeo)
        }
        return result
    }
}

/// SplitMix64: small, fast and the same everywhere, so demo data is reproducible.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        Array(items.shuffled(using: &self).prefix(count))
    }

    mutating func weighted(_ items: [(code: String, weight: Int)]) -> String {
        var roll = int(0..<items.reduce(0) { $0 + $1.weight })
        for item in items {
            if roll < item.weight { return item.code }
            roll -= item.weight
        }
        return items[0].code
    }
}
