import Foundation
import PostgresNIO
import Testing
import YachaqStore
import YachaqTestSupport

@testable import yachaq

/// `yachaq backup` and `yachaq restore`: a market's database restored into a new cluster is
/// the same database (also as an owner who is no superuser), a restore never goes over one
/// that has tables, and a damaged file restores nothing.
@Suite struct BackupRestoreTests {
    /// What must survive: every table's row count, every contract's amount, paid and balance
    /// by its payments, and the audit trail's last entry.
    static func fingerprint(_ endpoint: DatabaseEndpoint) async throws -> [String] {
        try await TestDatabase.withClient(endpoint) { database in
            let tables = try await database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
                .collect().map { try $0.decode(String.self) }
            var lines: [String] = []
            for table in tables {
                let count = try await database.query("SELECT count(*) FROM \(unescaped: table)").collect().first?.decode(Int.self)
                lines.append("\(table): \(count ?? -1)")
            }
            for row in try await database.query(
                """
                SELECT c.id::text, c.amount_cents::int8, c.paid_cents::int8, (c.amount_cents - coalesce(sum(p.amount_cents), 0))::int8
                FROM contracts c LEFT JOIN payments p ON p.contract_id = c.id GROUP BY c.id ORDER BY c.id
                """
            ).collect() {
                let (id, amount, paid, balance) = try row.decode((String, Int, Int, Int).self)
                lines.append("contract \(id): \(amount) agreed, \(paid) paid, \(balance) owed")
            }
            let last = try await database.query("SELECT row_to_json(a)::text FROM audit_log a ORDER BY id DESC LIMIT 1").collect()
            lines.append("last audit: \(try last.first?.decode(String.self) ?? "none")")
            return lines
        }
    }

    @Test func aRestoredMarketIsTheSameDatabaseAndARestoreNeverGoesOverOne() async throws {
        let (_, source) = try TestDatabase.privateMigratedCluster()
        try await TestDatabase.withClient(source) { database in try await seedDemo(database, logger: TestDatabase.logger) }
        let before = try await Self.fingerprint(source)
        #expect(before.contains { $0.hasPrefix("payments: ") && $0 != "payments: 0" })
        #expect(before.filter { $0.hasPrefix("contract ") }.count >= 2)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("yachaq.dump")
        let dump = try DatabaseDump(searchPath: TestDatabase.searchPath)
        #expect(try dump.backup(source, to: file) > 10_000)
        #expect(!FileManager.default.fileExists(atPath: file.path + ".partial"))

        let target = try TestDatabase.privateCluster()
        try target.createDatabase("yachaq")
        let restored = target.endpoint(database: "yachaq")
        try dump.restore(from: file, into: restored)
        #expect(try await Self.fingerprint(restored) == before)
        #expect(throws: DumpError.self) { try dump.restore(from: file, into: restored) }
        #expect(try await Self.fingerprint(restored) == before, "the refused restore changed nothing")

        // As a managed database's owner, who is no superuser, with the extensions made for it.
        try await TestDatabase.withClient(target.endpoint()) { database in
            try await database.query("CREATE ROLE app_owner LOGIN")
            try await database.query("CREATE DATABASE managed OWNER app_owner")
        }
        try await TestDatabase.withClient(target.endpoint(database: "managed")) { database in
            for name in ["cube", "earthdistance", "pg_trgm", "unaccent", "btree_gist"] {
                try await database.query("CREATE EXTENSION \(unescaped: name)")
            }
        }
        var managed = target.endpoint(database: "managed")
        managed.username = "app_owner"
        try dump.restore(from: file, into: managed)
        #expect(try await Self.fingerprint(managed) == before)

        // A file cut short: nothing of it is kept.
        let data = try Data(contentsOf: file)
        let cut = folder.appendingPathComponent("cut.dump")
        try data.prefix(data.count * 2 / 3).write(to: cut)
        try target.createDatabase("cut")
        let empty = target.endpoint(database: "cut")
        #expect(throws: DumpError.self) { try dump.restore(from: cut, into: empty) }
        let tables = try await TestDatabase.withClient(empty) { database in
            try await database.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").collect().first?.decode(Int.self)
        }
        #expect(tables == 0)
    }
}
