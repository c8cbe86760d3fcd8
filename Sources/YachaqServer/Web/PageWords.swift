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

    /// A moment as people say it, on Peru's clocks: 30 de noviembre de 2026, 16:21.
    func moment(_ date: Date) -> String {
        let shown = Self.peruTime(date)
        return "\(self.date(String(shown.prefix(10)))), \(shown.suffix(5))"
    }

    /// A moment as Peru's clocks show it: 2026-11-30 16:21.
    static func peruTime(_ date: Date) -> String {
        let at = PeruToday.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", at.year ?? 2000, at.month ?? 1, at.day ?? 1, at.hour ?? 0, at.minute ?? 0)
    }

    /// The skill choices of a form, grouped under their parent, with those in `chosen` checked
    /// (a whole group only when it is chosen: a request may ask for one).
    func skillChoices(_ chosen: Set<String>) -> [Choice] {
        reference.skills.filter { $0.parent != nil || chosen.contains($0.code) }.sorted { $0.code < $1.code }.map { skill in
            Choice(code: skill.code, name: self.skill(skill.code), checked: chosen.contains(skill.code))
        }
    }

    /// The language choices of a form: Quechua varieties, Aymara and Spanish first (the
    /// highlands' languages), then the rest.
    func languageChoices(_ chosen: Set<String>) -> [Choice] {
        let first = ["quz", "quy", "qxu", "qub", "que", "aym", "spa"]
        let ordered =
            first.compactMap { reference.language($0) }
            + reference.languages.filter { !first.contains($0.code) }.sorted { $0.code < $1.code }
        return ordered.map { Choice(code: $0.code, name: languageName($0.code), checked: chosen.contains($0.code)) }
    }

    /// A technician as a card: name, kind, languages with levels, skills, rating.
    func card(_ provider: Provider, rating: RatingSummary? = nil) -> ProviderCard {
        ProviderCard(
            id: provider.id.page, name: provider.fullName, kind: self("kind.\(provider.kind.rawValue)"),
            rate: money(provider.dailyRateCents), radius: provider.travelRadiusKm, livesIn: provider.willLiveInCommunity,
            languages: provider.languages.map {
                .init(
                    name: languageName($0.code), speaking: $0.speaking, reading: $0.reading, writing: $0.writing,
                    level: self("level.\($0.speaking)"))
            },
            skills: provider.skills.map { .init(name: skill($0.code), level: $0.level, years: $0.years) }, bio: provider.bio,
            rating: rating.flatMap { rating in
                rating.average.map { self("card.rating", ["average": $0.fixed(1), "count": "\(rating.count)"]) }
            })
    }
}

extension UUID {
    /// As pages and links write it.
    var page: String { uuidString.lowercased() }
}
