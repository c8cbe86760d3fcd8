/// The codes of the reference tables, for checking input against them without a query
/// per field (they change only with migrations).
public struct ReferenceCodes: Sendable {
    public var ubigeos: Set<String>
    public var languages: Set<String>
    /// Skills a provider can have: the leaves of the taxonomy, not its groups.
    public var skills: Set<String>
    /// The groups, which a request may ask for ("any irrigation skill").
    public var skillGroups: Set<String>

    public init(ubigeos: Set<String>, languages: Set<String>, skills: Set<String>, skillGroups: Set<String> = []) {
        self.ubigeos = ubigeos
        self.languages = languages
        self.skills = skills
        self.skillGroups = skillGroups
    }

    /// Field errors for every code of the request that the tables do not have.
    public func check(_ request: NewRequest.Draft) throws {
        var check = Validator()
        check(ubigeos.contains(request.ubigeo.code), "ubigeo", "no district has ubigeo \(request.ubigeo)")
        for (index, code) in request.skills.enumerated() {
            check(skills.contains(code) || skillGroups.contains(code), "skills[\(index)]", "unknown skill \(code) (see /v1/skills)")
        }
        for (index, code) in request.languages.enumerated() {
            check(languages.contains(code), "languages[\(index)]", "unknown language code \(code) (see /v1/languages)")
        }
        try check.finish()
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
