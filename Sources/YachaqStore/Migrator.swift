import Crypto
import Foundation
import Logging
import YachaqAssets

/// Applies the numbered files of `SQL/` in order, each whole and in its own transaction,
/// recording name and checksum in `schema_migrations`.
///
/// A file may load shipped data with psql's meta-command
/// `\copy table (columns) from 'relative/path.csv' with (...)` on a line of its own: the
/// migrator streams that file through `COPY ... FROM STDIN` inside the same transaction,
/// and the file's bytes count in the migration's checksum.
public struct Migrator: Sendable {
    /// Where the migration files are: `folder` of `assets`.
    public let assets: AssetTree
    public let folder: String
    private let logger: Logger

    /// Any bigint, the same in every process: the advisory lock that lets only one
    /// migrator work on a database at a time.
    static let advisoryLockKey = 7_263_180_441

    /// The migrations under `SQL/` of `assets` (by default the ones compiled into the binary).
    public init(assets: AssetTree = .embedded, logger: Logger = Logger(label: "yachaq.migrate")) {
        self.assets = assets
        folder = "SQL"
        self.logger = logger
    }

    /// The migrations in a folder of their own.
    public init(directory: URL, logger: Logger = Logger(label: "yachaq.migrate")) {
        assets = AssetTree(directory: directory)
        folder = ""
        self.logger = logger
    }

    /// The last migration's file name (`0019_provider_search.sql`): the schema level these
    /// migrations reach.
    public var schemaLevel: String { (try? Migration.names(in: assets, folder: folder).last) ?? "none" }

    /// Applies what is missing; returns the names of the files it applied.
    @discardableResult
    public func migrate(_ endpoint: DatabaseEndpoint) throws -> [String] {
        let migrations = try Migration.load(from: assets, folder: folder)
        let connection = try LibPQConnection(endpoint)
        try connection.execute("SET client_min_messages = warning")
        try connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }

        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var applied: [String: String] = [:]
        for row in try connection.execute("SELECT name, checksum FROM schema_migrations") {
            if let name = row[0], let checksum = row[1] { applied[name] = checksum }
        }

        var appliedNow: [String] = []
        for migration in migrations {
            if let recorded = applied[migration.name] {
                guard recorded == migration.checksum else {
                    throw MigrationError.checksumMismatch(name: migration.name, recorded: recorded, actual: migration.checksum)
                }
                continue
            }
            try apply(migration, on: connection)
            appliedNow.append(migration.name)
            logger.info("applied migration", metadata: ["name": "\(migration.name)"])
        }
        return appliedNow
    }

    private func apply(_ migration: Migration, on connection: LibPQConnection) throws {
        try connection.execute("BEGIN")
        do {
            for step in migration.steps {
                switch step {
                case .sql(let sql): try connection.execute(sql)
                case .copy(let statement, let data): try connection.copy(statement, data: data)
                }
            }
            try connection.execute(
                "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)",
                [migration.name, migration.checksum]
            )
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw MigrationError.failed(name: migration.name, reason: String(describing: error))
        }
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case checksumMismatch(name: String, recorded: String, actual: String)
    case failed(name: String, reason: String)
    case unreadable(name: String, reason: String)

    public var description: String {
        switch self {
        case .checksumMismatch(let name, let recorded, let actual):
            "migration \(name) was changed after it was applied (recorded checksum \(recorded.prefix(12))…, file now "
                + "\(actual.prefix(12))…); add a new migration instead of editing an applied one"
        case .failed(let name, let reason):
            "migration \(name) failed and was rolled back: \(reason)"
        case .unreadable(let name, let reason):
            "migration \(name) cannot be read: \(reason)"
        }
    }
}

/// One migration file, split into what runs as SQL and what streams through COPY.
struct Migration {
    enum Step {
        case sql(String)
        case copy(statement: String, data: Data)
    }

    let name: String
    let steps: [Step]
    let checksum: String

    /// Files named `NNNN_description.sql`, in the order of their numbers.
    static func names(in assets: AssetTree, folder: String) throws -> [String] {
        try assets.names(in: folder).filter { $0.hasSuffix(".sql") && $0.first?.isNumber == true }
    }

    static func load(from assets: AssetTree, folder: String) throws -> [Migration] {
        try names(in: assets, folder: folder).map { try Migration(name: $0, in: folder, of: assets) }
    }

    init(name: String, in folder: String, of assets: AssetTree) throws {
        self.name = name
        let text: String
        do { text = try assets.text(Self.path(name, in: folder)) } catch {
            throw MigrationError.unreadable(name: name, reason: "\(error)")
        }
        var hasher = SHA256()
        hasher.update(data: Data(text.utf8))
        var steps: [Step] = []
        var pending: [Substring] = []
        func flush() {
            let sql = pending.joined(separator: "\n")
            if !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { steps.append(.sql(sql)) }
            pending = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let copy = try Self.copyCommand(line, in: folder, of: assets, migration: name) else {
                pending.append(line)
                continue
            }
            flush()
            hasher.update(data: copy.data)
            steps.append(.copy(statement: copy.statement, data: copy.data))
        }
        flush()
        self.steps = steps
        checksum = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// `\copy target from 'path' rest` → (`COPY target FROM STDIN rest`, contents of path).
    private static func copyCommand(_ line: Substring, in folder: String, of assets: AssetTree, migration: String) throws -> (
        statement: String, data: Data
    )? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("\\copy ") else { return nil }
        let body = trimmed.dropFirst("\\copy ".count)
        guard let from = body.range(of: " from '", options: .caseInsensitive),
            let closing = body[from.upperBound...].firstIndex(of: "'")
        else { throw MigrationError.unreadable(name: migration, reason: "cannot read the \\copy line: \(trimmed)") }
        let target = body[..<from.lowerBound]
        let path = String(body[from.upperBound..<closing])
        let rest = body[body.index(after: closing)...]
        guard let data = try? assets.data(Self.path(path, in: folder)) else {
            throw MigrationError.unreadable(name: migration, reason: "\\copy names \(path), which is not in \(assets.origin)")
        }
        return ("COPY \(target) FROM STDIN\(rest)", data)
    }

    private static func path(_ name: String, in folder: String) -> String { folder.isEmpty ? name : folder + "/" + name }
}
