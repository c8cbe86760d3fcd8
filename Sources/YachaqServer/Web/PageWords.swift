import Foundation
import YachaqDomain
import YachaqStore
import YachaqWords

/// How a page says things: `Words`, with what only pages need (cards, the choices of a form,
/// dates as Peru's clocks show them).
typealias PageWords = Words

extension Words {
    init(kit: PageKit, language: PageLanguage, reference: ReferenceData) {
        self.init(kit.translations, language: language, reference: reference)
    }

    /// A moment as Peru's clocks show it: 2026-11-30 16:21.
    static func peruTime(_ date: Date) -> String {
        let at = PeruToday.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", at.year ?? 2000, at.month ?? 1, at.day ?? 1, at.hour ?? 0, at.minute ?? 0)
    }

    /// The skill choices of a form, grouped under their parent, with those in `chosen` checked.
    func skillChoices(_ chosen: Set<String>) -> [[String: Any]] {
        reference.skills.filter { $0.parent != nil }.sorted { $0.code < $1.code }.map { skill in
            ["code": skill.code, "name": self.skill(skill.code), "checked": chosen.contains(skill.code)]
        }
    }

    /// The language choices of a form: Quechua varieties, Aymara and Spanish first (the
    /// highlands' languages), then the rest.
    func languageChoices(_ chosen: Set<String>) -> [[String: Any]] {
        let first = ["quz", "quy", "qxu", "qub", "que", "aym", "spa"]
        let ordered =
            first.compactMap { reference.language($0) }
            + reference.languages.filter { !first.contains($0.code) }.sorted { $0.code < $1.code }
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
