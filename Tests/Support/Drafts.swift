import Synchronization
import YachaqDomain
import YachaqStore

extension Database {
    /// The reference codes, for checking test inputs into drafts as the routes do. Every test
    /// database is a copy of one migrated template, so the codes are read once per process.
    public func referenceCodes() async throws -> ReferenceCodes {
        if let codes = loadedCodes.withLock({ $0 }) { return codes }
        let codes = try await ReferenceStore(database: self).codes()
        loadedCodes.withLock { $0 = codes }
        return codes
    }
}

private let loadedCodes = Mutex<ReferenceCodes?>(nil)

extension CheckedInput {
    /// The draft of this input, checked against the codes of `database` (the stores take
    /// only drafts); an invalid fixture fails the test that made it.
    public func draft(on database: Database) async throws -> Draft {
        try checked(against: await database.referenceCodes())
    }
}
