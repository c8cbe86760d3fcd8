import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// `GET /v1/reports/providers.csv`: a BOM, the header, fields quoted where needed, one row
/// per provider across pages, the scorecard's figures.
@Suite struct ProviderFiguresCSVTests {
    @Test func everyProviderOnceWithItsFiguresInASpreadsheetsLayout() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let body = try await withApp(on: world.endpoint) { client in
            let awkward = try await client.send(
                .post, "/v1/providers", token: staff,
                json: """
                    {"full_name":"Quispe, María \\"Mary\\"","kind":"yachaq","gender":"female","home_ubigeo":"080101",
                     "daily_rate_cents":9000,"travel_radius_km":30}
                    """)
            #expect(awkward.status == .created)
            let response = try await client.send(.get, "/v1/reports/providers.csv", token: staff)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            return String(buffer: response.body)
        }
        #expect(body.hasPrefix("\u{FEFF}provider_id,full_name,kind,"))
        #expect(body.contains(#","Quispe, María ""Mary""",yachaq,female,"#))
        let records = try CSVText.records(String(body.dropFirst())).map(\.fields)
        let column = Dictionary(uniqueKeysWithValues: records[0].enumerated().map { ($1, $0) })
        #expect(records.count == 5)  // the header and World's three providers and the new one
        let published = try #require(records.first { $0[column["provider_id"]!] == world.publishedProvider.id.uuidString.lowercased() })
        // Community A's signed contract and completed one: 2 signed, 1 completed, S/ 6,000, rated 4, 5, 4, 4.
        #expect(published[column["contracts_signed"]!] == "2" && published[column["contracts_completed"]!] == "1")
        #expect(published[column["completion_rate"]!] == "1.0" && published[column["repeat_hire_rate"]!] == "1.0")
        #expect(published[column["amount_contracted_cents"]!] == "600000" && published[column["amount_contracted_soles"]!] == "6000.00")
        #expect(published[column["ratings"]!] == "1" && published[column["average_rating"]!] == "4.3")
        #expect(published[column["score"]!] == "3.6" && published[column["days_worked"]!] == "31")
        #expect(published[column["last_contract_on"]!] == "2027-05-01" && published[column["department"]!] == "Cusco")
    }

    @Test func pagesFollowEachOtherWithoutGapsOrRepeats() async throws {
        let world = try await World.make()
        let ids = try await TestDatabase.withClient(world.endpoint) { database in
            let export = ProviderFiguresExport(database: database, logger: TestDatabase.logger)
            var ids: [UUID] = []
            var position: ProviderFiguresExport.Position?
            repeat {
                let page = try await export.page(after: position, limit: 1)
                ids += page.rows.map(\.providerID)
                position = page.next
            } while position != nil
            return ids
        }
        #expect(ids.count == 3 && Set(ids).count == 3)
    }
}
