import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ReferenceRoutesTests {
    @Test func districtByUbigeo() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/v1/districts/080101", method: .get)
            #expect(response.status == .ok)
            let cusco = try response.object()
            #expect(
                cusco["district"] as? String == "Cusco" && cusco["province"] as? String == "Cusco"
                    && cusco["department"] as? String == "Cusco")
            #expect(abs((cusco["latitude"] as? Double ?? 0) - -13.52) < 0.01)
            #expect(abs((cusco["longitude"] as? Double ?? 0) - -71.98) < 0.01)
            #expect(cusco["altitude_m"] as? Double == 3439)

            let puno = try await client.execute(uri: "/v1/districts/210101", method: .get).object()
            #expect(puno["district"] as? String == "Puno")
        }
    }

    @Test func unknownUbigeoIs404AndMalformedIs422() async throws {
        try await withApp { client in
            _ = try await client.execute(uri: "/v1/districts/999999", method: .get).problem(.notFound)
            for malformed in ["08010", "0801011", "cusco0"] {
                let problem = try await client.execute(uri: "/v1/districts/\(malformed)", method: .get).problem(.unprocessableContent)
                let errors = try #require(problem["errors"] as? [[String: String]])
                #expect(errors.first?["field"] == "ubigeo")
            }
        }
    }

    @Test func searchForgivesAccentsAndFiltersByDepartment() async throws {
        try await withApp { client in
            let ancash = try await client.execute(uri: "/v1/districts?q=ancash&limit=200", method: .get).items()
            #expect(ancash.count > 100)
            #expect(ancash.allSatisfy { $0["department"] as? String == "Áncash" })

            let junin = try await client.execute(uri: "/v1/districts?q=JUNIN&limit=200", method: .get).items()
            #expect(junin.contains { $0["district"] as? String == "Junín" })
            #expect(junin.allSatisfy { ($0["department"] as? String) == "Junín" || ($0["province"] as? String) == "Junín" })

            let cusco = try await client.execute(uri: "/v1/districts?department=cusco&q=urubamba", method: .get).items()
            #expect(!cusco.isEmpty && cusco.allSatisfy { $0["department"] as? String == "Cusco" })
        }
    }

    @Test func listsPageWithACursor() async throws {
        try await withApp { client in
            let first = try await client.execute(uri: "/v1/districts?department=puno&limit=100", method: .get).object()
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await client.execute(uri: "/v1/districts?department=puno&limit=100&cursor=\(cursor)", method: .get).object()
            #expect((first["items"] as? [Any])?.count == 100)
            #expect((second["items"] as? [Any])?.count == 10)
            #expect(second["next_cursor"] is NSNull)
            #expect(try await client.execute(uri: "/v1/districts", method: .get).items().count == 50)
        }
    }

    @Test(arguments: ["limit=0", "limit=201", "limit=ten", "cursor=abc"])
    func badListParametersAre422(_ query: String) async throws {
        try await withApp { client in
            let problem = try await client.execute(uri: "/v1/districts?\(query)", method: .get).problem(.unprocessableContent)
            let field = String(query.prefix { $0 != "=" })
            #expect((problem["errors"] as? [[String: String]])?.first?["field"] == field)
        }
    }

    @Test func languagesHaveQuechuaVarietiesUnderQue() async throws {
        try await withApp { client in
            let languages = try await client.execute(uri: "/v1/languages", method: .get).items()
            let byCode = Dictionary(uniqueKeysWithValues: languages.map { ($0["code"] as! String, $0) })
            for code in ["quz", "quy", "ayr", "spa", "que"] { #expect(byCode[code] != nil, "\(code) missing") }
            #expect(byCode["quz"]?["macrolanguage"] as? String == "que")
            #expect(byCode["quy"]?["macrolanguage"] as? String == "que")
            #expect(byCode["spa"]?["macrolanguage"] is NSNull)
            #expect(byCode["quz"]?["name_es"] as? String == "Quechua Cusco (Collao)")
        }
    }

    @Test func skillsAreNamedInThreeLanguages() async throws {
        try await withApp { client in
            let skills = try await client.execute(uri: "/v1/skills", method: .get).items()
            let leaves = skills.filter { !($0["parent"] is NSNull) }
            #expect(leaves.count >= 30)
            for key in ["name_es", "name_qu", "name_en"] {
                #expect(skills.allSatisfy { ($0[key] as? String)?.isEmpty == false })
            }
        }
    }

    @Test func unknownRouteIsAProblem() async throws {
        try await withApp { client in
            _ = try await client.execute(uri: "/v1/nothing-here", method: .get).problem(.notFound)
        }
    }
}
