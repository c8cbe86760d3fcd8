import Foundation
import YachaqDomain
import YachaqStore

/// How Yachaq says things in the reader's language: translated words, names of skills and
/// languages, money, and the shortlist's reasons. The pages and the API (the shortlist's
/// notes) both speak through it; one per request.
public struct Words: Sendable {
    public let translations: Translations
    public let language: PageLanguage
    public let reference: ReferenceData

    public init(_ translations: Translations, language: PageLanguage, reference: ReferenceData) {
        self.translations = translations
        self.language = language
        self.reference = reference
    }

    public func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        translations.text(key, language, values)
    }

    /// `key` said of a person of `gender`: the language's feminine text (`key_female`) for a
    /// woman where it has one (Spanish: elegida, invitada), else the text everyone gets.
    public func gendered(_ key: String, _ gender: Gender?, _ values: [String: String] = [:]) -> String {
        gender == .female && translations.has("\(key)_female", language) ? self("\(key)_female", values) : self(key, values)
    }

    public func skill(_ code: String) -> String {
        guard let skill = reference.skill(code) else { return code }
        switch language {
        case .es: return skill.nameEs
        case .qu: return skill.nameQu
        case .en: return skill.nameEn
        }
    }

    /// A language's name; Quechua pages use the Quechua name where the reference has one,
    /// else the Spanish one (the name people in Peru use).
    public func languageName(_ code: String) -> String {
        guard let found = reference.language(code) else { return code }
        switch language {
        case .es: return found.nameEs
        case .qu: return found.nameQu ?? found.nameEs
        case .en: return found.nameEn
        }
    }

    public func money(_ cents: Int64) -> String { Money.soles(cents) }

    /// A day as people say it: `1 de mayo de 2027`, `1 May 2027`, `2027 watapa mayo killanpa
    /// 1 p'unchawnin`. Anything that is not a `YYYY-MM-DD` day is shown as it is.
    public func date(_ day: String) -> String {
        guard let (year, month, dayOfMonth) = Self.parts(of: day) else { return day }
        return self("date", ["day": String(Int(dayOfMonth) ?? 0), "month": self("month.\(month)"), "year": String(year)])
    }

    /// A day in a table's narrow column, as Peru writes it by hand: `04/12/2026`.
    public func shortDate(_ day: String) -> String {
        guard let (year, month, dayOfMonth) = Self.parts(of: day) else { return day }
        return "\(dayOfMonth)/\(month)/\(year)"
    }

    /// Year, month and day of a day that exists (`CalendarDate`'s rule), as written.
    private static func parts(of day: String) -> (Substring, Substring, Substring)? {
        guard CalendarDate(day) != nil else { return nil }
        let parts = day.split(separator: "-")
        return (parts[0], parts[1], parts[2])
    }

    /// From one day to another, each as `date(_:)` says it.
    public func dates(_ from: String, _ to: String) -> String {
        self("dates", ["from": date(from), "to": date(to)])
    }

    /// A reason of the shortlist in words: skill and language codes become names, céntimos
    /// become soles.
    /// A notification in this language: its kind's words with its values, dates as people say them.
    public func notification(_ notification: UserNotification) -> String {
        var values = notification.params
        for key in ["starts_on", "ends_on"] { values[key] = values[key].map(date) }
        return self("notify.\(notification.kind.wordsKey(notification.params))", values)
    }

    /// A text of the SMS outbox (`sms.<kind>`) in this language, with its values; dates in a
    /// table's short form and each value cut to `smsValueLength` characters, so that every
    /// text fits in two segments (a test holds each template to it), as GSM-7 keeps it.
    public func sms(_ kind: String, _ params: [String: String]) -> SMSText {
        var values = params.mapValues { $0.count > Self.smsValueLength ? $0.prefix(Self.smsValueLength - 3) + "..." : $0 }
        for key in ["starts_on", "ends_on"] { values[key] = params[key].map(shortDate) }
        return SMSText(self("sms.\(kind)", values))
    }

    /// The longest a value (a title, a name) is said in an SMS.
    public static let smsValueLength = 40

    public func reason(_ reason: MatchReason) -> String {
        var values = reason.params
        for key in ["skills", "missing"] {
            if let codes = values[key] { values[key] = codes.split(separator: ",").map { skill(String($0)) }.joined(separator: ", ") }
        }
        if let code = values["language"] { values["language"] = languageName(code) }
        for key in ["cost", "budget"] {
            if let cents = values[key].flatMap({ Int64($0) }) { values[key] = money(cents) }
        }
        return self("reason.\(reason.code)", values)
    }
}
