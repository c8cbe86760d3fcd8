import YachaqDomain
import YachaqStore

extension Database {
    /// The reference codes, for checking test inputs into drafts as the routes do.
    public func referenceCodes() async throws -> ReferenceCodes {
        try await ReferenceStore(database: self).codes()
    }
}

extension CheckedInput {
    /// The draft of this input, checked against the codes of `database` (the stores take
    /// only drafts); an invalid fixture fails the test that made it.
    public func draft(on database: Database) async throws -> Draft {
        try checked(against: await database.referenceCodes())
    }
}
