/// The codes of the reference tables, for checking input against them without a query
/// per field (they change only with migrations).
public struct ReferenceCodes: Sendable {
    public var ubigeos: Set<String>
    public var languages: Set<String>
    /// Skills a provider can have: the leaves of the taxonomy, not its groups.
    public var skills: Set<String>

    public init(ubigeos: Set<String>, languages: Set<String>, skills: Set<String>) {
        self.ubigeos = ubigeos
        self.languages = languages
        self.skills = skills
    }

    /// Field errors for every code of the draft that the tables do not have.
    public func check(_ draft: ProviderDraft) throws {
        var check = Validator()
        check(ubigeos.contains(draft.homeUbigeo.code), "home_ubigeo", "no district has ubigeo \(draft.homeUbigeo)")
        for (index, language) in draft.languages.enumerated() {
            check(languages.contains(language.code), "languages[\(index)].code", "unknown language code \(language.code) (ISO 639-3, see /v1/languages)")
        }
        for (index, skill) in draft.skills.enumerated() {
            check(skills.contains(skill.code), "skills[\(index)].code", "unknown skill \(skill.code) (a skill, not a group, of /v1/skills)")
        }
        try check.finish()
    }
}
