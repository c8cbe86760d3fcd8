import Foundation
import Synchronization
import YachaqDomain
import YachaqStore

/// The names of skills and languages in each language, read once: reference data changes
/// only with a migration, that is, with a restart.
public final class ReferenceNames: Sendable {
    /// Skills and languages by code.
    public struct Loaded: Sendable {
        let skills: [String: Skill]
        let languages: [String: Language]
    }

    private let store: ReferenceStore
    private let loaded = Mutex<Loaded?>(nil)

    public init(store: ReferenceStore) {
        self.store = store
    }

    public func get() async throws -> Loaded {
        if let loaded = loaded.withLock({ $0 }) { return loaded }
        let fresh = Loaded(
            skills: Dictionary(try await store.skills().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }),
            languages: Dictionary(try await store.languages().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }))
        loaded.withLock { $0 = fresh }
        return fresh
    }
}

/// How Yachaq says things in the reader's language: translated words, names of skills and
/// languages, money, and the shortlist's reasons. The pages and the API (the shortlist's
/// notes) both speak through it; one per request.
public struct Words: Sendable {
    public let translations: Translations
    public let language: PageLanguage
    public let skills: [String: Skill]
    public let languages: [String: Language]

    public init(_ translations: Translations, language: PageLanguage, names: ReferenceNames.Loaded) {
        self.translations = translations
        self.language = language
        skills = names.skills
        languages = names.languages
    }

    public func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        translations.text(key, language, values)
    }

    public func skill(_ code: String) -> String {
        guard let skill = skills[code] else { return code }
        switch language {
        case .es: return skill.nameEs
        case .qu: return skill.nameQu
        case .en: return skill.nameEn
        }
    }

    /// A language's name; Quechua pages use the Quechua name where the reference has one,
    /// else the Spanish one (the name people in Peru use).
    public func languageName(_ code: String) -> String {
        guard let found = languages[code] else { return code }
        switch language {
        case .es: return found.nameEs
        case .qu: return found.nameQu ?? found.nameEs
        case .en: return found.nameEn
        }
    }

    public func money(_ cents: Int64) -> String { Money.soles(cents) }

    /// A reason of the shortlist in words: skill and language codes become names, céntimos
    /// become soles.
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
