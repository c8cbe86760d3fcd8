import Foundation

/// What a text that came in asks for, read as people type on a basic phone: any case, extra
/// spaces, the Quechua or the Spanish word (`ARI 4821` or `SI 4821`; `PARAR`, `SAYAY` or `STOP`).
public enum SMSCommand: Sendable, Equatable {
    /// Accept the invitation that sent this code.
    case accept(code: String)
    /// Decline it.
    case decline(code: String)
    /// No more SMS to this number.
    case stop
    /// Anything else: the sender gets the help text.
    case unknown

    public init(_ text: String) {
        let words = text.uppercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," || $0 == "." })
        let code = words.count == 2 && words[1].count == 4 && words[1].allSatisfy({ $0.isASCII && $0.isNumber }) ? String(words[1]) : nil
        switch (words.first.map(String.init), code) {
        case ("ARI", let code?), ("SI", let code?), ("SÍ", let code?): self = .accept(code: code)
        case ("MANA", let code?), ("NO", let code?): self = .decline(code: code)
        case ("PARAR", nil), ("SAYAY", nil), ("STOP", nil): self = words.count == 1 ? .stop : .unknown
        default: self = .unknown
        }
    }
}

/// The hours when no SMS about an event goes out (they are held until the hours end), as
/// Peru's clocks show them: 21 to 6 is from 21:00 to 05:59. `from == to` is no quiet hours.
public struct QuietHours: Sendable, Equatable {
    public let from: Int
    public let to: Int

    /// `21-6`; `none` or an empty text for none. Hours are 0–23.
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text == "none" {
            (from, to) = (0, 0)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = Int(parts[0]), let to = Int(parts[1]), (0...23).contains(from), (0...23).contains(to) else {
            return nil
        }
        (self.from, self.to) = (from, to)
    }

    /// Whether `moment` falls inside them in Peru.
    public func contain(_ moment: Date) -> Bool {
        let hour = PeruToday.calendar.component(.hour, from: moment)
        return from < to ? (from..<to).contains(hour) : from > to && (hour >= from || hour < to)
    }
}
