import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// The contract on paper: its clauses in the reader's language, lines for the buyer's
/// representative, the technician and two witnesses, and the technician's DNI once signed.
@Suite struct ContractPrintTests {
    @Test func aSignedContractPrintsItsClausesAndTheTechniciansDNI() async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var community = Browser(client, language: "es", session: world.tokens[.community])
            let signed = try await community.get("/contracts/\(world.contractA.id)/print")
            #expect(signed.status == .ok)
            let page = community.page
            #expect(Browser.all(#"<li>([^<]+)</li>"#, in: Self.clauses(page)).count == 8)
            #expect(page.contains("Eusebia Quispe Mamani realiza para Comunidad Campesina Chillihuani el trabajo «Esquila 2027»"))
            #expect(page.contains("Del 1 de mayo de 2027 al 31 de mayo de 2027"))
            #expect(page.contains("DNI: 40000002") && page.contains("Testigo 1") && page.contains("Testigo 2"))
            #expect(page.contains(#"<body class="paper">"#))
            var quechua = Browser(client, language: "qu", session: world.tokens[.community])
            try await quechua.get("/contracts/\(world.contractA.id)/print")
            #expect(quechua.page.contains("Rimanakuykuna") && !quechua.page.contains("Cláusulas"))
            // A draft is printed for the assembly to read: the DNI is written there by hand.
            var staff = Browser(client, language: "es", session: world.tokens[.staff])
            try await staff.get("/contracts/\(world.contractB.id)/print")
            #expect(staff.page.contains("Sabina Ccama Huillca") && !staff.page.contains("40000001"))
        }
    }

    static func clauses(_ page: String) -> String {
        guard let start = page.range(of: #"<ol class="clauses">"#),
            let end = page.range(of: "</ol>", range: start.upperBound..<page.endIndex)
        else { return "" }
        return String(page[start.upperBound..<end.lowerBound])
    }
}
