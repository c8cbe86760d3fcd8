import Foundation
import Testing
import YachaqDomain
import YachaqStore
import YachaqTestSupport

/// `yachaq export contracts` / `payments`: every record once, across pages, with the
/// figures the contract shows.
@Suite struct AccountingExportTests {
    @Test func contractsAndPaymentsExportEveryRecordAcrossPages() async throws {
        let world = try await World.make()
        try await TestDatabase.withClient(world.endpoint) { database in
            let payments = PaymentStore(database: database, logger: TestDatabase.logger)
            for (cents, payer) in [(90_000, world.communityA.id), (100_000, world.agency.id), (5_000, world.agency.id)] {
                let draft = try await NewPayment(
                    amountCents: Int64(cents), paidOn: "2027-05-03", method: "cash", payerOrganizationID: payer
                )
                .draft(on: database)
                _ = try await payments.record(draft, on: world.contractA.id, today: World.today, idempotency: nil, actor: nil)
            }
            let export = AccountingExport(database: database, logger: TestDatabase.logger)
            var contractsText = "", paymentsText = ""
            #expect(try await export.contracts(batchSize: 1) { contractsText += $0 } == 3)
            #expect(try await export.payments(batchSize: 2) { paymentsText += $0 } == 3)

            let contracts = try CSVText.records(contractsText).map(\.fields)
            let header = Dictionary(uniqueKeysWithValues: contracts[0].enumerated().map { ($1, $0) })
            #expect(contracts.count == 4)
            let a = try #require(contracts.first { $0[header["contract_id"]!] == world.contractA.id.uuidString.lowercased() })
            #expect(a[header["buyer"]!] == world.communityA.name && a[header["provider"]!] == world.publishedProvider.fullName)
            #expect(
                a[header["amount_cents"]!] == "300000" && a[header["paid_cents"]!] == "195000" && a[header["balance_cents"]!] == "105000")
            #expect(a[header["public_transfer_cents"]!] == "210000" && a[header["paid_public_transfer_cents"]!] == "105000")
            #expect(a[header["paid_counterpart_cash_cents"]!] == "90000" && a[header["days"]!] == "31")
            #expect(!a[header["signed_at"]!].isEmpty)

            let rows = try CSVText.records(paymentsText).map(\.fields)
            let column = Dictionary(uniqueKeysWithValues: rows[0].enumerated().map { ($1, $0) })
            #expect(rows.count == 4 && Set(rows.dropFirst().map { $0[column["payment_id"]!] }).count == 3)
            #expect(rows.dropFirst().map { $0[column["amount_cents"]!] } == ["90000", "100000", "5000"])
            #expect(rows[1][column["funding_kind"]!] == "counterpart_cash" && rows[2][column["payer"]!] == world.agency.name)
        }
    }
}
