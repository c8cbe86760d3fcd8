import Foundation
import Testing
import YachaqDomain

@Suite struct SMSTextTests {
    @Test func gsm7TextsCountSevenBitSeptetsAndSplitAt153() {
        #expect(SMSText("ARI 4821").isGSM7 && SMSText("ARI 4821").segments == 1)
        #expect(SMSText(String(repeating: "a", count: 160)).segments == 1)
        #expect(SMSText(String(repeating: "a", count: 161)).segments == 2)
        #expect(SMSText(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSText(String(repeating: "a", count: 307)).segments == 3)
        // An extension character (€, [, ~) takes two septets.
        #expect(SMSText(String(repeating: "a", count: 158) + "€").units == 160)
        #expect(SMSText(String(repeating: "a", count: 159) + "€").segments == 2)
    }

    /// Spanish and Quechua letters GSM-7 lacks become their plain letter; those it has stay.
    @Test func accentsOutsideGSM7AreWrittenPlainAndTheRestKept() {
        let text = SMSText("Aceptó «Esquila» en Ñuñoa, qué día; llamk'ay")
        #expect(text.text == "Acepto \"Esquila\" en Ñuñoa, qué dia; llamk'ay")
        #expect(text.isGSM7)
    }

    @Test func aCharacterOutsideGSM7MakesTheWholeTextUCS2() {
        let text = SMSText("Ŝ" + String(repeating: "a", count: 69))
        #expect(!text.isGSM7 && text.units == 70 && text.segments == 1)
        #expect(SMSText("Ŝ" + String(repeating: "a", count: 70)).segments == 2)
    }

    @Test func commandsReadAsPeopleTypeThem() {
        #expect(SMSCommand("ari 4821") == .accept(code: "4821"))
        #expect(SMSCommand("  Sí   0042 ") == .accept(code: "0042"))
        #expect(SMSCommand("SI 4821.") == .accept(code: "4821"))
        #expect(SMSCommand("MANA 4821") == .decline(code: "4821"))
        #expect(SMSCommand("no 4821") == .decline(code: "4821"))
        for stop in ["PARAR", "sayay", "Stop "] { #expect(SMSCommand(stop) == .stop) }
        for other in ["ARI", "ARI 48210", "ARI 48a1", "ARI 4821 5", "hola", "STOP now", "", "٤٨٢١ ARI", "MANA ４８２１"] {
            #expect(SMSCommand(other) == .unknown, "\(other)")
        }
    }

    @Test func quietHoursAreReadAsPeruClocksShowThem() throws {
        let night = try #require(QuietHours("21-6"))
        // Peru is UTC−5: 21:00 there is 02:00 UTC.
        let utc = { (hour: Int, minute: Int) in Date(timeIntervalSince1970: Double(hour * 3600 + minute * 60)) }
        #expect(night.contain(utc(2, 0)))  // 21:00
        #expect(night.contain(utc(10, 59)))  // 05:59
        #expect(!night.contain(utc(11, 0)))  // 06:00
        #expect(!night.contain(utc(1, 59)))  // 20:59
        #expect(QuietHours("none").map { !$0.contain(utc(3, 0)) } == true)
        #expect(QuietHours("1-3")?.contain(utc(7, 0)) == true)  // 02:00
        for wrong in ["25-3", "21", "a-b", "21-6-7", "-1-6"] { #expect(QuietHours(wrong) == nil, "\(wrong)") }
    }

    @Test func retriesBackOffDoublingUntilTheLimit() {
        let pacing = SMSPacing()
        #expect(pacing.retryDelay(after: 1) == .seconds(30))
        #expect(pacing.retryDelay(after: 2) == .seconds(60))
        #expect(pacing.retryDelay(after: 5) == .seconds(480))
        #expect(pacing.retryDelay(after: 6) == nil)
    }
}
