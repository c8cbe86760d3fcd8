import Foundation
import PostgresNIO
import YachaqDomain
import YachaqStore

/// A large believable registry for benchmarks, written with COPY: talents over all 1,891
/// districts, four times as dense above 2,500 m, speaking the Quechua (or Aymara) of their
/// department; some with completed and rated contracts, some booked full-time in 2027.
public struct BulkSeed: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The varieties spoken in a department's highlands (weights), from languages_pe.csv's regions.
    static let varieties: [String: [(code: String, weight: Int)]] = [
        "Cusco": [("quz", 1)], "Puno": [("qxp", 7), ("ayr", 3)], "Apurímac": [("quy", 6), ("qve", 4)], "Ayacucho": [("quy", 1)],
        "Huancavelica": [("quy", 1)], "Junín": [("qvw", 1), ("qxw", 1)], "Áncash": [("qwh", 1)], "Huánuco": [("qvh", 1), ("qub", 1)],
        "Cajamarca": [("qvc", 1)],
    ]

    /// Adds `count` providers; returns how many the registry has afterwards.
    public func providers(_ count: Int, seed: UInt64 = 100_000, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        var random = SeededRandom(seed: seed)
        var districts: [(ubigeo: String, department: String, altitude: Double)] = []
        for try await row in try await database.query("SELECT ubigeo, department, altitude_m FROM districts ORDER BY ubigeo").decode(
            (String, String, Double).self)
        {
            districts.append(row)
        }
        // Highland districts appear four times in the draw, middle ones twice.
        let draw = districts.flatMap { district in
            Array(repeating: district, count: district.altitude >= 2500 ? 4 : district.altitude >= 1500 ? 2 : 1)
        }
        var skills: [String] = []
        for try await code in try await database.query("SELECT code FROM skills WHERE parent IS NOT NULL ORDER BY code").decode(String.self)
        { skills.append(code) }
        let start = try await database.query("SELECT count(*) FROM providers").collect().first!.decode(Int.self)
        let organization = try await benchmarkOrganization()
        let batch = 10_000

        for offset in stride(from: 0, to: count, by: batch) {
            let size = min(batch, count - offset)
            var providers = "", languages = "", providerSkills = "", contracts = "", funding = "", ratings = ""
            for index in offset..<(offset + size) {
                let id = UUID().uuidString.lowercased()
                let district = random.pick(draw)
                let female = random.chance(0.5)
                let name =
                    "\(random.pick(female ? DemoSeed.womenNames : DemoSeed.menNames)) \(random.pick(DemoSeed.surnames)) "
                    + "\(random.pick(DemoSeed.surnames))"
                let kind = ["yachaq", "yachachiq", "yachachiq", "yachachiq", "tecnico", "profesional"][random.int(0..<6)]
                let status = random.chance(0.95) ? "active" : "inactive"
                providers +=
                    [
                        id, name, kind, female ? "female" : "male", String(random.int(1960...2003)),
                        String(format: "%08d", 60_000_000 + start + index),
                        "9\(random.int(10_000_000...99_999_999))", district.ubigeo, String(random.int(50...250) * 100),
                        String([20, 30, 50, 80, 120][random.int(0..<5)]), String(random.chance(0.6)), status, String(random.chance(0.92)),
                    ]
                    .joined(separator: "\t") + "\n"
                if district.altitude >= 2000 {
                    let variety = Self.varieties[district.department].map { random.weighted($0) } ?? "que"
                    languages +=
                        "\(id)\t\(variety)\t\(random.int(2...4))\t4\t\(random.int(0...4))\t\(random.int(0...3))\t\(random.chance(0.2))\n"
                }
                languages += "\(id)\tspa\t\(random.int(2...4))\t4\t\(random.int(2...4))\t\(random.int(2...4))\tfalse\n"
                for code in random.sample(skills, count: random.int(1...3)) {
                    providerSkills += "\(id)\t\(code)\t\(random.int(1...4))\t\(random.int(0...25))\n"
                }
                // Each contract in the talent's own district, funded whole by the benchmark organisation.
                func contract(_ title: String, _ period: String, _ amount: Int, exclusive: Bool, _ status: String) -> String {
                    let contract = UUID().uuidString.lowercased()
                    contracts +=
                        "\(contract)\t\(organization)\t\(id)\t\(title)\t\(district.ubigeo)\t\(period)\t\(amount)\t\(exclusive)\t\(status)\n"
                    funding += "\(contract)\t\(organization)\tcounterpart_cash\t\(amount)\t0\n"
                    return contract
                }
                if random.chance(0.15) {
                    for year in 0..<random.int(1...3) {
                        let contract = contract(
                            "Trabajo \(2018 + year)", "[\(2018 + year)-03-01,\(2018 + year)-06-30]", random.int(10...90) * 10_000,
                            exclusive: false, "completed")
                        ratings +=
                            "\(contract)\t\(id)\t\(organization)\t\(random.int(3...5))\t"
                            + "\(random.int(3...5))\t\(random.int(2...5))\t\(random.int(3...5))\n"
                    }
                } else if random.chance(0.04) {
                    _ = contract("Trabajo 2027", "[2027-0\(random.int(1...9))-01,2027-12-15]", 500_000, exclusive: true, "signed")
                }
            }
            try await database.withTransaction(logger: logger) { connection in
                try await copy(
                    providers, into: "providers",
                    [
                        "id", "full_name", "kind", "gender", "birth_year", "national_id", "phone", "home_ubigeo",
                        "daily_rate_cents", "travel_radius_km", "will_live_in_community", "status", "consent_to_publish",
                    ], on: connection)
                try await copy(
                    languages, into: "provider_languages",
                    ["provider_id", "language_code", "speaking", "understanding", "reading", "writing", "can_teach"], on: connection)
                try await copy(providerSkills, into: "provider_skills", ["provider_id", "skill_code", "level", "years"], on: connection)
                try await copy(
                    contracts, into: "contracts",
                    ["id", "organization_id", "provider_id", "title", "ubigeo", "period", "amount_cents", "exclusive", "status"],
                    on: connection)
                try await copy(
                    funding, into: "contract_funding", ["contract_id", "source_organization_id", "kind", "amount_cents", "position"],
                    on: connection)
                try await copy(
                    ratings, into: "ratings",
                    ["contract_id", "provider_id", "organization_id", "technical", "communication", "punctuality", "results"],
                    on: connection)
                let added = try AuditChange(
                    "seed", entity: "providers", id: "benchmark", after: ["providers": size, "seed": Int(clamping: seed)])
                try await AuditTrail.write(added, actor: nil, on: connection, logger: logger)
            }
            progress(offset + size, count)
        }
        // VACUUM too: a benchmark run straight after seeding otherwise competes with autovacuum
        // setting hint bits on 100,000 fresh rows (measured: p50 8.6 ms against 5.4 ms a run later).
        try await database.query("VACUUM ANALYZE")
        return try await database.query("SELECT count(*) FROM providers").collect().first!.decode(Int.self)
    }

    /// The organisation that benchmark requests and contracts belong to.
    public func benchmarkOrganization() async throws -> UUID {
        let name = "Proyecto de Referencia (benchmark)"
        if let id = try await database.query("SELECT id FROM organizations WHERE name = \(name)").collect().first?.decode(UUID.self) {
            return id
        }
        let draft = try NewOrganization(name: name, kind: "agency", ubigeo: "080101").checked(
            against: try await ReferenceStore(database: database).codes())
        return try await OrganizationStore(database: database, logger: logger).create(draft, actor: nil).id
    }

    private func copy(_ text: String, into table: String, _ columns: [String], on connection: PostgresConnection) async throws {
        guard !text.isEmpty else { return }
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            try await writer.write(ByteBuffer(string: text))
        }
    }
}
