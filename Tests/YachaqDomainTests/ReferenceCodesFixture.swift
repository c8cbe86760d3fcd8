import YachaqDomain

extension ReferenceCodes {
    /// The codes the domain tests' inputs use, standing in for the reference tables.
    static let fixture = ReferenceCodes(
        ubigeos: ["080101", "081206"], languages: ["quz", "spa", "que"], skills: ["water.sprinkler"], skillGroups: ["water"]
    )
}
