import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqDomain
import YachaqStore
import YachaqTestSupport

/// Every CSV the service writes defuses a cell a spreadsheet would run as a formula (issue 27,
/// finding 4): a technician's name, an organisation's, a payment's reference, whatever they hold.
@Suite struct CSVInjectionTests {
    /// What the API takes in a name or a reference (it refuses control characters: the tab and
    /// carriage return are tested on `CSVText` itself).
    static let hostile = [#"=HYPERLINK("http://example.org/x","Ver perfil")"#, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]

    /// No cell starts as a formula would, unless it is a plain number.
    static func expectDefused(_ csv: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let records = try CSVText.records(csv.hasPrefix("\u{FEFF}") ? String(csv.dropFirst()) : csv).map(\.fields)
        #expect(records.count > 1, "\(what) has rows", sourceLocation: sourceLocation)
        for field in records.joined() {
            guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { continue }
            #expect(Double(field) != nil, "\(what): \(field.debugDescription) would run as a formula", sourceLocation: sourceLocation)
        }
    }

    @Test func everyExportDefusesFormulas() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let providersCSV = try await withApp(on: world.endpoint) { client in
            for (index, name) in Self.hostile.enumerated() {
                let created = try await client.send(
                    .post, "/v1/providers", token: staff,
                    json: #"{"full_name":"\#(try Self.json(name))","kind":"yachaq","gender":"female","home_ubigeo":"080101","#
                        + #""daily_rate_cents":\#(9000 + index),"travel_radius_km":30}"#)
                #expect(created.status == .created, "\(String(buffer: created.body))")
            }
            let organization = try await client.send(
                .post, "/v1/organizations", token: staff, json: #"{"name":"=1+1 Comunidad","kind":"community","ubigeo":"081206"}"#)
            #expect(organization.status == .created)
            for (index, reference) in Self.hostile.enumerated() {
                let paid = try await client.send(
                    .post, "/v1/contracts/\(world.contractA.id)/payments", token: staff,
                    json: #"{"amount_cents":\#(100 + index),"paid_on":"2027-05-02","method":"cash","#
                        + #""payer_organization_id":"\#(world.communityA.id)","reference":"\#(try Self.json(reference))"}"#)
                #expect(paid.status == .created, "\(String(buffer: paid.body))")
            }
            return String(buffer: try await client.send(.get, "/v1/reports/providers.csv", token: staff).body)
        }
        try Self.expectDefused(providersCSV, "the staff's providers CSV")
        #expect(providersCSV.contains(#""'=HYPERLINK(""http://example.org/x"",""Ver perfil"")""#))
        try await TestDatabase.withClient(world.endpoint) { database in
            let accounting = AccountingExport(database: database, logger: TestDatabase.logger)
            var contracts = "", payments = "", providers = ""
            _ = try await accounting.contracts { contracts += $0 }
            _ = try await accounting.payments { payments += $0 }
            _ = try await ProviderStore(database: database, logger: TestDatabase.logger).exportCSV { providers += $0 }
            try Self.expectDefused(contracts, "yachaq export contracts")
            try Self.expectDefused(payments, "yachaq export payments")
            try Self.expectDefused(providers, "yachaq export providers")
            #expect(payments.contains("'@SUM(1+1)") && payments.contains("'-2+3"))
        }
    }

    @Test func controlCharactersAndNumbersAsOWASPSays() throws {
        let text = CSVText.text([["\t=1", "\r=1", "-5000", "+51", "12.5", "-", "=", "Quispe"]])
        #expect(text == "'\t=1,\"'\r=1\",-5000,+51,12.5,'-,'=,Quispe\n")
    }

    /// A text as a JSON string's content.
    static func json(_ text: String) throws -> String {
        String(String(decoding: try JSONEncoder().encode(text), as: UTF8.self).dropFirst().dropLast())
    }
}
