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
}
