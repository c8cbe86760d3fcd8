import Foundation

/// `yachaq backup FILE` and `yachaq restore FILE`: pg_dump's custom format of the whole
/// database (schema, data, the migrations' record, the audit trail), and its restore into
/// an empty database in one transaction. The PostgreSQL client programs come from the same
/// folder as the embedded cluster's; they must be at least the server's version.
public struct DatabaseDump: Sendable {
    let binaries: URL

    public init(searchPath: [String]) throws {
        binaries = try EmbeddedPostgres.findBinaries(searchPath: searchPath)
    }

    /// Writes the dump to `file` (first as `file.partial`, renamed when complete, so that a
    /// failed backup never looks like a good one); returns its size in bytes.
    @discardableResult
    public func backup(_ endpoint: DatabaseEndpoint, to file: URL) throws -> Int {
        let partial = file.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        try run("pg_dump", ["--format=custom", "--file=\(partial.path)"], endpoint)
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
        try FileManager.default.moveItem(at: partial, to: file)
        return (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    }

    /// Restores `file` into `endpoint`'s database, which must hold no table yet (a restore
    /// never overwrites: nothing in Yachaq is ever deleted). All or nothing.
    public func restore(from file: URL, into endpoint: DatabaseEndpoint) throws {
        guard FileManager.default.isReadableFile(atPath: file.path) else { throw DumpError(message: "cannot read \(file.path)") }
        let tables = try LibPQConnection(endpoint).execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        guard tables.first?[0] == "0" else {
            throw DumpError(
                message: "\(endpoint.redactedDescription) already has tables; restore into a new, empty database (createdb), never over one"
            )
        }
        // pg_restore empties search_path before each statement, and earthdistance's
        // ll_to_earth (PostgreSQL 15) names its type `earth` unqualified: the index on
        // districts' places fails to build that way. So the dump goes through psql as SQL,
        // with search_path left at public (the only schema), in one transaction that commits
        // only when pg_restore has read the whole file (a truncated one rolls back). The
        // extensions' comments are left out: only their owner (a superuser) may set them, and
        // a managed database's owner is not one.
        let contents = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-restore-\(UUID().uuidString).list")
        defer { try? FileManager.default.removeItem(at: contents) }
        let script = """
            set -o pipefail
            "$1" --list "$2" | grep -v ' COMMENT - EXTENSION ' > "$5" || exit 4
            { echo 'BEGIN;'
              if "$1" --no-owner --no-privileges --use-list="$5" --file=- "$2"; then echo 'COMMIT;'; else echo 'ROLLBACK;'; exit 3; fi
            } | sed "s/^\\(SELECT pg_catalog.set_config('search_path', \\)'', false);$/\\1'public', false);/" \
              | "$3" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 --output=/dev/null --dbname="$4"
            """
        try run(
            "/bin/bash",
            [
                "-c", script, "restore", binaries.appendingPathComponent("pg_restore").path, file.path,
                binaries.appendingPathComponent("psql").path,
                endpoint.libpqConnectionString(application: "yachaq-restore", withPassword: false), contents.path,
            ], password: endpoint.password)
    }

    /// What a database holds, in a line: to read after a restore.
    public static func summary(of endpoint: DatabaseEndpoint) throws -> String {
        let row =
            try LibPQConnection(endpoint).execute(
                """
                SELECT (SELECT count(*) FROM providers), (SELECT count(*) FROM contracts), (SELECT count(*) FROM payments),
                       (SELECT count(*) FROM audit_log), (SELECT max(name) FROM schema_migrations)
                """
            ).first ?? []
        let figures = row.map { $0 ?? "none" }
        guard figures.count == 5 else { return "nothing to count" }
        return "\(figures[0]) providers, \(figures[1]) contracts, \(figures[2]) payments, \(figures[3]) audit rows; schema \(figures[4])"
    }

    private func run(_ program: String, _ arguments: [String], _ endpoint: DatabaseEndpoint) throws {
        let connection = endpoint.libpqConnectionString(application: "yachaq-\(program)", withPassword: false)
        try run(binaries.appendingPathComponent(program).path, ["--dbname=\(connection)"] + arguments, password: endpoint.password)
    }

    /// Runs `executable` with the password in `PGPASSWORD`; throws with its output if it fails.
    private func run(_ executable: String, _ arguments: [String], password: String?) throws {
        let program = URL(fileURLWithPath: executable).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        // Errors go to a file: a pipe nobody reads while waiting could fill and stall the program.
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-\(program)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let handle = try FileHandle(forWritingTo: errors)
        process.standardError = handle
        process.standardOutput = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw DumpError(message: "\(program) exited with \(process.terminationStatus): \(text.suffix(2000))")
        }
    }
}

public struct DumpError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
