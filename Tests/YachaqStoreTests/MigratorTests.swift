import Foundation
import PostgresNIO
import Testing
import YachaqAssets
import YachaqTestSupport
@testable import YachaqStore

/// A class, so that the scratch folder of each test goes away with it (deinit).
@Suite final class MigratorTests {
    let migrator = Migrator(assets: TestDatabase.assets, logger: TestDatabase.logger)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-migrations-\(UUID().uuidString)")

    deinit {
        try? FileManager.default.removeItem(at: scratch)
    }
    var shippedFiles: [String] {
        get throws { try Migration.load(from: migrator.assets, folder: migrator.folder).map(\.name) }
    }

    @Test func migratesAnEmptyDatabaseThenAppliesNothingTheSecondTime() async throws {
        let endpoint = try await TestDatabase.empty()
        let first = try migrator.migrate(endpoint)
        #expect(first == (try shippedFiles))
        #expect(first.count >= 2)
        #expect(try migrator.migrate(endpoint).isEmpty)

        try await TestDatabase.withClient(endpoint) { client in
            let counts = try await client.query(
                """
                SELECT (SELECT count(*) FROM schema_migrations), (SELECT count(*) FROM districts),
                       (SELECT count(*) FROM languages), (SELECT count(*) FROM skills WHERE parent IS NOT NULL)
                """
            ).collect().first!.decode((Int, Int, Int, Int).self)
            #expect(counts.0 == first.count)
            #expect(counts.1 == 1891)
            #expect(counts.2 == 86)
            #expect(counts.3 >= 30)
        }
    }

    @Test func refusesAnAppliedFileThatWasChanged() async throws {
        let folder = try copyOfShippedMigrations()
        let endpoint = try await TestDatabase.empty()
        let local = Migrator(directory: folder, logger: TestDatabase.logger)
        try local.migrate(endpoint)

        let file = folder.appendingPathComponent("0002_reference_data.sql")
        try (String(contentsOf: file, encoding: .utf8) + "\n-- edited after it was applied\n").write(
            to: file, atomically: true, encoding: .utf8)
        #expect {
            try local.migrate(endpoint)
        } throws: { error in
            guard case .checksumMismatch(let name, _, _) = error as? MigrationError else { return false }
            return name == "0002_reference_data.sql"
        }
    }

    @Test func refusesAChangedDataFileOfAnAppliedMigration() async throws {
        let folder = try copyOfShippedMigrations()
        let endpoint = try await TestDatabase.empty()
        let local = Migrator(directory: folder, logger: TestDatabase.logger)
        try local.migrate(endpoint)

        let csv = folder.appendingPathComponent("data/skills.csv")
        try (String(contentsOf: csv, encoding: .utf8) + "extra,,Extra,Extra,Extra\n").write(to: csv, atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try local.migrate(endpoint) }
    }

    @Test func aFailingFileIsRolledBackWholeAndStopsTheRun() async throws {
        let folder = try temporaryFolder()
        try "CREATE TABLE first_table (x int);".write(
            to: folder.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE half_done (x int);\nSELECT no_such_function();".write(
            to: folder.appendingPathComponent("0002_broken.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE never_reached (x int);".write(
            to: folder.appendingPathComponent("0003_later.sql"), atomically: true, encoding: .utf8)
        let endpoint = try await TestDatabase.empty()

        #expect {
            try Migrator(directory: folder, logger: TestDatabase.logger).migrate(endpoint)
        } throws: { error in
            guard case .failed(let name, let reason) = error as? MigrationError else { return false }
            return name == "0002_broken.sql" && reason.contains("no_such_function")
        }
        try await TestDatabase.withClient(endpoint) { client in
            let row = try await client.query(
                """
                SELECT to_regclass('first_table') IS NOT NULL, to_regclass('half_done') IS NOT NULL,
                       to_regclass('never_reached') IS NOT NULL, (SELECT array_agg(name ORDER BY name) FROM schema_migrations)
                """
            ).collect().first!.decode((Bool, Bool, Bool, [String]).self)
            #expect(row.0 && !row.1 && !row.2)
            #expect(row.3 == ["0001_first.sql"])
        }
    }

    @Test func twoMigratorsAtOnceApplyEachFileExactlyOnce() async throws {
        let endpoint = try await TestDatabase.empty()
        let migrator = self.migrator
        async let first = Task.detached { try migrator.migrate(endpoint) }.value
        async let second = Task.detached { try migrator.migrate(endpoint) }.value
        let (a, b) = try await (first, second)

        #expect(Set(a).isDisjoint(with: b))
        #expect((a + b).sorted() == (try shippedFiles))
        try await TestDatabase.withClient(endpoint) { client in
            let count = try await client.query("SELECT count(*) FROM schema_migrations").collect().first!.decode(Int.self)
            #expect(count == (try shippedFiles).count)
        }
    }

    @Test func readsCopyLinesAsDataNotSQL() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(to: folder.appendingPathComponent("data/t.csv"), atomically: true, encoding: .utf8)
        try "CREATE TABLE t (a int, b int);\n\\copy t (a, b) from 'data/t.csv' with (format csv, header true)\nSELECT 1;"
            .write(to: folder.appendingPathComponent("0001_t.sql"), atomically: true, encoding: .utf8)
        let migration = try Migration(name: "0001_t.sql", in: "", of: AssetTree(directory: folder))
        #expect(migration.steps.count == 3)
        guard case .copy(let statement, let data) = migration.steps[1] else {
            Issue.record("the \\copy line was not read as a copy")
            return
        }
        #expect(statement == "COPY t (a, b) FROM STDIN with (format csv, header true)")
        #expect(String(decoding: data, as: UTF8.self) == "a,b\n1,2\n")
    }

    private func temporaryFolder() throws -> URL {
        let folder = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func copyOfShippedMigrations() throws -> URL {
        let folder = try temporaryFolder()
        try AssetTree.exportEmbedded(to: folder)
        return folder.appendingPathComponent("SQL")
    }
}
