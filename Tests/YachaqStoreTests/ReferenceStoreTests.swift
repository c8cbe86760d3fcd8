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
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let languages = try await ReferenceStore(database: client).languages()
            let byCode = Dictionary(uniqueKeysWithValues: languages.map { ($0.code, $0) })
            for variety in ["quz", "quy", "qxp"] { #expect(byCode[variety]?.macrolanguage == "que") }
            #expect(byCode["ayr"]?.macrolanguage == "aym")
            #expect(byCode["spa"]?.macrolanguage == nil)
            #expect(byCode["que"]?.scope == "M")
            #expect(byCode["que"]?.nameQu == "Runasimi")
        }
    }

    @Test func skillsHaveThreeNamesAndGroups() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { client in
            let skills = try await ReferenceStore(database: client).skills()
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
    }
}
