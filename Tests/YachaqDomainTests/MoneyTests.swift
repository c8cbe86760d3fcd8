import Testing
import Foundation
import YachaqDomain

/// Soles as Peru writes them, and every way an officer or a technician types them.
@Suite struct MoneyTests {
    @Test(
        arguments: [
            (0, "S/\u{00A0}0.00"), (5, "S/\u{00A0}0.05"), (150_050, "S/\u{00A0}1,500.50"), (800_000, "S/\u{00A0}8,000.00"),
            (100_000_000, "S/\u{00A0}1,000,000.00"), (99_999_999_999, "S/\u{00A0}999,999,999.99"), (-4_000, "-S/\u{00A0}40.00"),
        ] as [(Int64, String)])
    func amountsShowWithThousandsAndANoBreakSpace(cents: Int64, shown: String) {
        #expect(Money.soles(cents) == shown)
    }

    @Test func theLargestAmountsShowWithoutOverflow() {
        #expect(Money.soles(.max) == "S/\u{00A0}92,233,720,368,547,758.07")
        #expect(Money.soles(.min) == "-S/\u{00A0}92,233,720,368,547,758.08")
    }

    @Test(
        arguments: [
            ("8000", 800_000), ("8,000.00", 800_000), ("8 000,50", 800_050), ("S/ 8,000.00", 800_000), ("S/. 8,000", 800_000),
            ("s/8000", 800_000), ("S/\u{00A0}8,000.00", 800_000), ("8.000,50", 800_050), ("8,000", 800_000), ("8.000", 800_000),
            ("1,000,000", 100_000_000), ("1.000.000,5", 100_000_050), ("1500.5", 150_050), ("1500,05", 150_005), ("0.50", 50),
            ("0", 0), (" 12 ", 1_200), ("999999999.99", 99_999_999_999),
        ] as [(String, Int64)])
    func typedAmountsAreRead(typed: String, cents: Int64) {
        #expect(Money.cents(typed: typed) == cents, "\(typed)")
    }

    @Test(arguments: [
        "", "S/", "abc", "-5", "+5", "1e3", "8,00,000", "1.000,000", "1,000.000", "1.2.3", "1,234,5", "12.345.6", "8,000.001",
        "0,001", ",50", "50,", "1000000000", "٣٠٠", "８０００", "8000 soles", "S/ -5", "1.,5", "NaN",
    ])
    func anythingElseIsNoAmount(typed: String) {
        #expect(Money.cents(typed: typed) == nil, "\(typed)")
    }

    @Test(arguments: [(0, "0"), (150_050, "1500.50"), (150_005, "1500.05"), (800_000, "8000")] as [(Int64, String)])
    func formsShowWhatToTypeBack(cents: Int64, typed: String) {
        #expect(Money.typed(cents) == typed)
        #expect(Money.cents(typed: typed) == cents)
    }
}

/// Numbers people read over the phone.
@Suite struct ReceiptNumberTests {
    @Test(arguments: [(1, 1, "R-000001-01"), (123, 4, "R-000123-04"), (1_033_114, 112, "R-1033114-112")] as [(Int64, Int, String)])
    func receiptsAreNamedByContractAndPlace(contract: Int64, position: Int, receipt: String) throws {
        let data = #"""
            {"id":"6f1c2a9e-0000-4000-8000-000000000001","organization_id":"6f1c2a9e-0000-4000-8000-000000000002",
            "provider_id":"6f1c2a9e-0000-4000-8000-000000000003","title":"t","scope":"","ubigeo":"080101","starts_on":"2027-05-01",
            "ends_on":"2027-05-31","amount_cents":100,"exclusive":false,"status":"signed","funding":[],"milestones":[],"paid_cents":0,
            "balance_cents":100,"paid_by_kind":{"public_transfer":0,"municipal":0,"counterpart_cash":0,"counterpart_in_kind":0},
            "transitions":[],"amendments":[],"number":\#(contract),"created_at":"2027-05-01T00:00:00Z","updated_at":"2027-05-01T00:00:00Z"}
            """#
        let found = try JSONCoding.decoder.decode(Contract.self, from: Data(data.utf8))
        #expect(found.receiptNumber(position) == receipt)
    }
}

/// Figures people read (a level, an average, kilometres, points) are rounded as people round.
@Suite struct FixedDecimalsTests {
    @Test(arguments: [
        (0.0, 1, "0.0"), (3.25, 1, "3.3"), (0.15, 1, "0.2"), (2.04, 1, "2.0"), (3.96, 1, "4.0"), (14.5, 0, "15"),
        (14.49, 0, "14"), (-2.25, 1, "-2.3"), (4.0, 0, "4"), (1_234.5678, 3, "1234.568"), (0.05, 2, "0.05"), (7.0, 9, "7.000"),
    ])
    func rounded(value: Double, decimals: Int, written: String) {
        #expect(value.fixed(decimals) == written)
    }

    @Test func whatItCannotWriteGoesToTheFormatter() {
        #expect(1e20.fixed(1) == String(format: "%.1f", 1e20))
        #expect(Double.infinity.fixed(0) == String(format: "%.0f", Double.infinity))
        #expect(Double.nan.fixed(1) == String(format: "%.1f", Double.nan))
    }
}
