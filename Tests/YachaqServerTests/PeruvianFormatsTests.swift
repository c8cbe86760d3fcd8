import Testing
import YachaqStore
import YachaqTestSupport
import YachaqWords

/// Days and amounts as the pages say them, in each of their languages.
@Suite struct PeruvianFormatsTests {
    static func words(_ language: PageLanguage) throws -> Words {
        Words(
            try Translations(assets: TestDatabase.assets, folder: "Pages/translations"), language: language,
            reference: ReferenceData(districts: [], languages: [], skills: []))
    }

    @Test(arguments: [
        (PageLanguage.es, "2027-05-01", "1 de mayo de 2027"), (.en, "2027-05-01", "1 May 2027"),
        (.qu, "2027-05-01", "2027 watapa mayo killanpa 1 p'unchawnin"), (.es, "2026-12-31", "31 de diciembre de 2026"),
        (.en, "2026-01-09", "9 January 2026"), (.qu, "2026-09-30", "2026 watapa septiembre killanpa 30 p'unchawnin"),
    ])
    func daysAreSaidAsPeopleSayThem(language: PageLanguage, day: String, said: String) throws {
        #expect(try Self.words(language).date(day) == said)
    }

    @Test(arguments: ["", "2027-13-01", "2027-00-10", "2027-05-32", "27-05-01", "2027-5-1", "<b>", "2027-05-01T00:00"])
    func whatIsNoDayIsShownAsItIs(text: String) throws {
        for language in PageLanguage.allCases { #expect(try Self.words(language).date(text) == text) }
    }

    @Test func everyMonthHasItsNameInEveryLanguage() throws {
        for language in PageLanguage.allCases {
            let words = try Self.words(language)
            let names = (1...12).map { words.date("2027-\($0 < 10 ? "0" : "")\($0)-01") }
            #expect(Set(names).count == 12 && names.allSatisfy { !$0.contains("⟦") }, "\(language): \(names)")
        }
    }

    @Test func tablesWriteDaysAsPeruWritesThemByHand() throws {
        for language in PageLanguage.allCases {
            let words = try Self.words(language)
            #expect(words.shortDate("2026-12-04") == "04/12/2026")
            #expect(words.shortDate("2026-12-4") == "2026-12-4" && words.shortDate("2026-1x-04") == "2026-1x-04")
        }
    }

    @Test func aPeriodNamesBothDays() throws {
        #expect(try Self.words(.es).dates("2027-05-01", "2027-05-31") == "del 1 de mayo de 2027 al 31 de mayo de 2027")
        #expect(try Self.words(.en).dates("2027-05-01", "2027-05-31") == "from 1 May 2027 to 31 May 2027")
    }

    @Test func amountsOnPagesAreSolesWithThousands() throws {
        #expect(try Self.words(.qu).money(250_000) == "S/\u{00A0}2,500.00")
    }
}
