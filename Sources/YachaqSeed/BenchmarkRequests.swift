import Foundation
import PostgresNIO
import YachaqDomain
import YachaqStore

extension BulkSeed {
    /// `count` varied requests over the highlands, made once and always the same: districts,
    /// skills (sometimes a group), languages (any Quechua, a variety, Aymara), dates, budgets,
    /// preferences. The shortlist benchmarks rotate over them.
    public func benchmarkRequests(_ count: Int) async throws -> [UUID] {
        let existing = try await database.query("SELECT id FROM service_requests WHERE title LIKE 'Benchmark request %' ORDER BY title")
            .collect()
            .map { try $0.decode(UUID.self) }
        if existing.count >= count { return Array(existing.prefix(count)) }
        let organization = try await benchmarkOrganization()
        var districts: [String] = []
        for try await ubigeo in try await database.query("SELECT ubigeo FROM districts WHERE altitude_m >= 2500 ORDER BY ubigeo").decode(
            String.self)
        { districts.append(ubigeo) }
        let skills = [
            "water.sprinkler", "water", "camelids.fibre", "camelids", "livestock.animal_health", "crops.native_potato",
            "business.plans", "crafts.weaving",
        ]
        let languages = [["que"], ["quz"], ["quy"], ["qxp", "ayr"], ["que", "spa"], ["qvc"]]
        let store = ServiceRequestStore(database: database, logger: logger)
        let codes = try await ReferenceStore(database: database).codes()
        var ids = existing
        var random = SeededRandom(seed: 2027)  // the same requests for the same registry, run after run
        for index in existing.count..<count {
            let month = random.int(1...8)
            let request = NewServiceRequest(
                title: String(format: "Benchmark request %03d", index),
                skills: Array(random.sample(skills, count: random.int(1...2))), languages: random.pick(languages),
                ubigeo: random.pick(districts), startsOn: String(format: "2027-%02d-01", month),
                endsOn: String(format: "2027-%02d-28", month + random.int(0...3)), budgetCents: Int64(random.int(20...150)) * 10_000,
                mustLiveInCommunity: random.chance(0.5), exclusive: random.chance(0.5),
                preferredGender: random.int(0..<5) == 0 ? "female" : nil
            )
            ids.append(try await store.create(try request.checked(against: codes), organizationID: organization, actor: nil).id)
        }
        return ids
    }
}
