import Testing
import YachaqDomain
import YachaqTestSupport
@testable import YachaqStore

@Suite struct ReferenceStoreTests {
    @Test func findsCuscoAndPunoByUbigeo() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let store = ReferenceStore(database: client)
            let cusco = try #require(try await store.district(Ubigeo("080101")!))
            #expect([cusco.department, cusco.province, cusco.district] == ["Cusco", "Cusco", "Cusco"])
            #expect(abs(cusco.latitude - -13.52) < 0.01 && abs(cusco.longitude - -71.98) < 0.01)
            let puno = try #require(try await store.district(Ubigeo("210101")!))
            #expect(puno.district == "Puno" && puno.department == "Puno")
            #expect(try await store.district(Ubigeo("999999")!) == nil)
        }
    }

    @Test(arguments: [("ancash", "Áncash"), ("junin", "Junín"), ("APURIMAC", "Apurímac")])
    func searchForgivesAccentsAndCase(query: String, department: String) async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let page = try await ReferenceStore(database: client).districts(search: query, department: nil, after: nil, limit: 200)
            #expect(!page.items.isEmpty)
            #expect(
                page.items.allSatisfy {
                    $0.department == department || $0.province.contains(department) || $0.district.contains(department)
                })
        }
    }

    @Test func everyWordMustMatchAndTheDepartmentFilterForgivesAccents() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let store = ReferenceStore(database: client)
            let page = try await store.districts(search: "urubamba", department: "CUSCO", after: nil, limit: 200)
            #expect(!page.items.isEmpty)
            #expect(page.items.allSatisfy { $0.department == "Cusco" })
            #expect(try await store.districts(search: "urubamba puno", department: nil, after: nil, limit: 50).items.isEmpty)
            // LIKE wildcards in user text are plain characters.
            #expect(try await store.districts(search: "%", department: nil, after: nil, limit: 50).items.isEmpty)
        }
    }

    @Test func pagesCoverTheDepartmentOnceInUbigeoOrder() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let store = ReferenceStore(database: client)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.districts(search: nil, department: "Puno", after: cursor, limit: 30)
                seen += page.items.map(\.ubigeo)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.count == 110)
            #expect(seen == seen.sorted() && Set(seen).count == seen.count)
        }
    }

    @Test func quechuaVarietiesHangUnderTheMacrolanguage() async throws {
        let languages = try ReferenceData.load(try await TestDatabase.fresh()).languages
        let byCode = Dictionary(uniqueKeysWithValues: languages.map { ($0.code, $0) })
        for variety in ["quz", "quy", "qxp"] { #expect(byCode[variety]?.macrolanguage == "que") }
        #expect(byCode["ayr"]?.macrolanguage == "aym")
        #expect(byCode["spa"]?.macrolanguage == nil)
        #expect(byCode["que"]?.scope == "M")
        #expect(byCode["que"]?.nameQu == "Runasimi")
        // Each macrolanguage first, then its varieties.
        #expect(languages.firstIndex { $0.code == "que" }! < languages.firstIndex { $0.code == "quz" }!)
    }

    @Test func skillsHaveThreeNamesAndGroups() async throws {
        let skills = try ReferenceData.load(try await TestDatabase.fresh()).skills
        let groups = Set(skills.filter { $0.parent == nil }.map(\.code))
        let leaves = skills.filter { $0.parent != nil }
        #expect(leaves.count >= 30)
        #expect(
            groups.isSuperset(of: [
                "nrm", "water", "livestock", "camelids", "crops", "agroprocessing", "business", "finance", "crafts", "tourism",
                "bookkeeping",
            ]))
        #expect(leaves.allSatisfy { groups.contains($0.parent!) && !$0.nameEs.isEmpty && !$0.nameQu.isEmpty && !$0.nameEn.isEmpty })
    }

    /// The service's value read once (libpq, JSON) says what the database says, row by row.
    @Test func theReferenceDataReadOnceIsTheDatabases() async throws {
        let endpoint = try await TestDatabase.fresh()
        let loaded = try ReferenceData.load(endpoint)
        try await TestDatabase.withClient(endpoint) { client in
            let store = ReferenceStore(database: client)
            let codes = try await store.codes()
            #expect(loaded.codes.ubigeos == codes.ubigeos && loaded.codes.languages == codes.languages)
            #expect(loaded.codes.skills == codes.skills && loaded.codes.skillGroups == codes.skillGroups)
            #expect(loaded.districts.count == 1891 && loaded.districts.map(\.ubigeo) == loaded.districts.map(\.ubigeo).sorted())
            for ubigeo in ["080101", "080108", "150101", "250401"].compactMap(Ubigeo.init) {
                #expect(loaded.district(ubigeo) == (try await store.district(ubigeo)))
            }
        }
    }
}
