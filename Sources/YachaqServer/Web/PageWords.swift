import Foundation
import Synchronization
import YachaqDomain
import YachaqStore

/// The names of skills and languages in each page language, read once: reference data
/// changes only with a migration, that is, with a restart.
final class ReferenceNames: Sendable {
    /// Skills and languages by code.
    struct Loaded: Sendable {
        let skills: [String: Skill]
        let languages: [String: Language]
    }

    private let store: ReferenceStore
    private let loaded = Mutex<Loaded?>(nil)

    init(store: ReferenceStore) {
        self.store = store
    }

    func get() async throws -> Loaded {
        if let loaded = loaded.withLock({ $0 }) { return loaded }
        let fresh = Loaded(
            skills: Dictionary(try await store.skills().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }),
            languages: Dictionary(try await store.languages().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }))
        loaded.withLock { $0 = fresh }
        return fresh
    }
}

/// How a page says things in the reader's language: translated words, names of skills and
/// languages, money, and the shortlist's reasons. One per request.
struct PageWords {
    let kit: PageKit
    let language: PageLanguage
    let skills: [String: Skill]
    let languages: [String: Language]

    init(kit: PageKit, language: PageLanguage, names: ReferenceNames.Loaded) {
        self.kit = kit
        self.language = language
        skills = names.skills
        languages = names.languages
    }

    func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        kit.text(key, language, values)
    }

    func skill(_ code: String) -> String {
        guard let skill = skills[code] else { return code }
        switch language {
        case .es: return skill.nameEs
        case .qu: return skill.nameQu
        case .en: return skill.nameEn
        }
    }

    /// A language's name; Quechua pages use the Quechua name where the reference has one,
    /// else the Spanish one (the name people in Peru use).
    func languageName(_ code: String) -> String {
        guard let found = languages[code] else { return code }
        switch language {
        case .es: return found.nameEs
        case .qu: return found.nameQu ?? found.nameEs
        case .en: return found.nameEn
        }
    }

    func money(_ cents: Int64) -> String { Money.soles(cents) }

    /// Today in Peru, as a date field's default.
    static var today: String {
        let day = peru.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", day.year ?? 2000, day.month ?? 1, day.day ?? 1)
    }

    /// A moment as Peru's clocks show it: 2026-11-30 16:21.
    static func peruTime(_ date: Date) -> String {
        let at = peru.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", at.year ?? 2000, at.month ?? 1, at.day ?? 1, at.hour ?? 0, at.minute ?? 0)
    }

    private static var peru: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Lima") ?? .gmt
        return calendar
    }

    /// A reason of the shortlist in words: skill and language codes become names, céntimos
    /// become soles.
    func reason(_ reason: MatchReason) -> String {
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

    /// The skill choices of a form, grouped under their parent, with those in `chosen` checked.
    func skillChoices(_ chosen: Set<String>) -> [[String: Any]] {
        skills.values.filter { $0.parent != nil }.sorted { $0.code < $1.code }.map { skill in
            ["code": skill.code, "name": self.skill(skill.code), "checked": chosen.contains(skill.code)]
        }
    }

    /// The language choices of a form: Quechua varieties, Aymara and Spanish first (the
    /// highlands' languages), then the rest.
    func languageChoices(_ chosen: Set<String>) -> [[String: Any]] {
        let first = ["quz", "quy", "qxu", "qub", "que", "aym", "spa"]
        let ordered = first.compactMap { languages[$0] } + languages.values.filter { !first.contains($0.code) }.sorted { $0.code < $1.code }
        return ordered.map { ["code": $0.code, "name": languageName($0.code), "checked": chosen.contains($0.code)] }
    }

    /// A technician as a card: name, kind, languages with levels, skills, rating.
    func card(_ provider: Provider, rating: RatingSummary? = nil) -> [String: Any] {
        var card: [String: Any] = [
            "id": provider.id.uuidString.lowercased(), "name": provider.fullName, "kind": self("kind.\(provider.kind.rawValue)"),
            "rate": money(provider.dailyRateCents), "radius": provider.travelRadiusKm, "lives_in": provider.willLiveInCommunity,
            "languages": provider.languages.map { spoken -> [String: Any] in
                [
                    "name": languageName(spoken.code), "speaking": spoken.speaking, "reading": spoken.reading, "writing": spoken.writing,
                    "level": self("level.\(spoken.speaking)"),
                ]
            },
            "skills": provider.skills.map { ["name": skill($0.code), "level": $0.level, "years": $0.years] },
        ]
        if let bio = provider.bio { card["bio"] = bio }
        if let rating, let average = rating.average {
            card["rating"] = self("card.rating", ["average": String(format: "%.1f", average), "count": "\(rating.count)"])
        }
        return card
    }
}

extension UUID {
    /// As pages and links write it.
    var page: String { uuidString.lowercased() }
}
