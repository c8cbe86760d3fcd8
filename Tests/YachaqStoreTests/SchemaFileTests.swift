import Foundation
import Testing
import YachaqStore
import YachaqTestSupport

@Suite struct SchemaFileTests {
    /// SQL/schema.sql is what the migrations make: a newcomer reads one file instead of
    /// replaying every migration, and it may not drift from them.
    @Test func schemaSQLIsWhatTheMigrationsMake() async throws {
        let file = TestDatabase.sourceTree.appendingPathComponent("SQL/schema.sql")
        let written = try String(contentsOf: file, encoding: .utf8)
        let migrated = try await TestDatabase.migratedSchema()
        let (old, new) = (
            written.split(separator: "\n", omittingEmptySubsequences: false),
            migrated.split(separator: "\n", omittingEmptySubsequences: false)
        )
        let first = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
        let upToDate = old == new
        #expect(
            upToDate,
            """
            SQL/schema.sql is out of date (line \(first + 1): file "\(first < old.count ? old[first] : "")", \
            migrations "\(first < new.count ? new[first] : "")"); \
            run: swift run yachaq schema --output SQL/schema.sql
            """)
    }
}
