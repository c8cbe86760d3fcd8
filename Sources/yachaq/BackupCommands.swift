import ArgumentParser
import Foundation
import YachaqStore

/// `yachaq backup FILE`: the whole database, as pg_dump's custom format.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write the whole database (DATABASE_URL or the embedded one) to FILE, in pg_dump's custom format.")

    @Argument(help: "The file to write; replaced only once the new dump is complete.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = makeLogger("yachaq.backup")
        let (endpoint, server) = try database.open(logger: logger)
        defer { try? server?.stop() }
        let started = ContinuousClock.now
        let bytes = try DatabaseDump(searchPath: Settings.process.postgresSearchPath).backup(endpoint, to: URL(fileURLWithPath: file))
        print("backup: \(endpoint.redactedDescription) → \(file), \(bytes) bytes in \(ContinuousClock.now - started)")
    }
}

/// `yachaq restore FILE`: a backup into a new, empty database; then counts what is there.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a `yachaq backup` FILE into an empty database (DATABASE_URL or a new --data-dir), all or nothing.")

    @Argument(help: "A file written by `yachaq backup` (or pg_dump --format=custom).")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = makeLogger("yachaq.restore")
        let (endpoint, server) = try database.open(logger: logger)
        defer { try? server?.stop() }
        let started = ContinuousClock.now
        try DatabaseDump(searchPath: Settings.process.postgresSearchPath).restore(from: URL(fileURLWithPath: file), into: endpoint)
        print("restore: \(file) → \(endpoint.redactedDescription) in \(ContinuousClock.now - started)")
        print("  " + (try DatabaseDump.summary(of: endpoint)))
    }
}
