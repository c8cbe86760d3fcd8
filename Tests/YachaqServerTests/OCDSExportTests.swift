import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqServer
import YachaqTestSupport

/// `GET /v1/exports/ocds`: a release package that validates against the OCDS 1.1.5 schemas
/// (Tests/ocds-1.1.5, offline), one release per contract but drafts, and no private field.
@Suite struct OCDSExportTests {
    typealias JSON = [String: Any]

    @Test func thePackageValidatesAndKeepsPrivateFieldsOut() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let body = try await withApp(on: world.endpoint) { client in
            let contractA = "/v1/contracts/\(world.contractA.id)"
            for (cents, payer) in [(90_000, world.communityA.id), (100_000, world.agency.id)] {
                let paid = try await client.send(
                    .post, contractA + "/payments", token: staff,
                    json: #"{"amount_cents":\#(cents),"paid_on":"2027-05-10","method":"cash","payer_organization_id":"\#(payer)"}"#)
                #expect(paid.status == .created)
            }
            _ = try await client.send(
                .patch, contractA + "/milestones/\(world.contractA.milestones[0].id)", token: staff,
                json: #"{"status":"met","on":"2027-05-20"}"#)
            try await client.send(.get, "/v1/exports/ocds", token: world.tokens[.community]).problem(.forbidden)
            let response = try await client.send(.get, "/v1/exports/ocds", token: staff)
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-\(UUID()).json")
        try body.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try Self.python([Self.validator, file.path])
        #expect(status == 0, "OCDS validation: \(output)")

        // The DNI and phone number every World provider has.
        #expect(!body.contains("40000002") && !body.contains("984000111"))
        let package = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? JSON)
        let releases = try #require(package["releases"] as? [JSON])
        #expect(releases.count == 2)  // community A's signed and completed contracts; community B's draft is not published
        let release = try #require(releases.first { $0["ocid"] as? String == "ocds-yachaq-\(world.contractA.id.uuidString.lowercased())" })
        #expect(release["tag"] as? [String] == ["contract", "implementation"])
        let roles = Dictionary(
            uniqueKeysWithValues: (release["parties"] as? [JSON] ?? []).map {
                ($0["name"] as? String ?? "", $0["roles"] as? [String] ?? [])
            })
        #expect(roles[world.communityA.name] == ["buyer", "funder", "payer"])
        #expect(roles[world.agency.name] == ["funder", "payer"])
        #expect(roles[world.publishedProvider.fullName] == ["payee", "supplier"])
        let contract = try #require((release["contracts"] as? [JSON])?.first)
        #expect(contract["status"] as? String == "active")
        #expect((contract["value"] as? JSON)?["amount"] as? Double == 3000 && (contract["value"] as? JSON)?["currency"] as? String == "PEN")
        let transactions = try #require((contract["implementation"] as? JSON)?["transactions"] as? [JSON])
        #expect(transactions.map { ($0["value"] as? JSON)?["amount"] as? Double } == [900, 1000])
        #expect((contract["milestones"] as? [JSON])?.first?["status"] as? String == "met")
        let breakdown = try #require(((release["planning"] as? JSON)?["budget"] as? JSON)?["budgetBreakdown"] as? [JSON])
        #expect(breakdown.map { $0["description"] as? String } == ["public_transfer", "counterpart_cash"])
    }

    /// A talent who has not agreed to publish (or withdrew) is never named in open data: the
    /// releases name a stable pseudonym instead (issue 27, finding 3), and still validate.
    @Test func aHiddenTalentIsAPseudonymInOpenData() async throws {
        let world = try await World.make()
        let staff = world.tokens[.staff]
        let (first, second) = try await withApp(on: world.endpoint) { client in
            let withdrawn = try await client.send(
                .patch, "/v1/providers/\(world.publishedProvider.id)", token: world.tokens[.admin], json: #"{"consent_to_publish":false}"#)
            #expect(withdrawn.status == .ok)
            let first = String(buffer: try await client.send(.get, "/v1/exports/ocds", token: staff).body)
            let second = String(buffer: try await client.send(.get, "/v1/exports/ocds", token: staff).body)
            return (first, second)
        }
        #expect(!first.contains(world.publishedProvider.fullName) && !first.contains(world.publishedProvider.id.uuidString.lowercased()))
        let package = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? JSON)
        let parties = (package["releases"] as? [JSON] ?? []).flatMap { $0["parties"] as? [JSON] ?? [] }
        let suppliers = parties.filter { ($0["roles"] as? [String])?.contains("supplier") == true }
        #expect(suppliers.count == 2 && Set(suppliers.compactMap { $0["id"] as? String }).count == 1)
        #expect(suppliers.allSatisfy { ($0["id"] as? String)?.hasPrefix("talent-") == true })
        #expect(suppliers.allSatisfy { $0["name"] as? String == "Talento local (perfil no publicado)" })
        let ids = { (body: String) in Browser.all(#""id":"(talent-[0-9a-f]+)""#, in: body) }
        #expect(ids(first) == ids(second) && !ids(first).isEmpty, "the pseudonym is stable")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-\(UUID()).json")
        try first.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try Self.python([Self.validator, file.path])
        #expect(status == 0, "OCDS validation: \(output)")
    }

    static let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ocds-1.1.5/validate.py").path

    /// Runs python3 with `arguments`; its exit status and output.
    static func python(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
