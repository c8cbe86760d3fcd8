#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CSpawn
import Foundation
import Logging

/// A private PostgreSQL cluster in a folder of its own, driven through `initdb` and `pg_ctl`:
/// the database of `yachaq serve` when no `DATABASE_URL` is given, and of the tests.
///
/// It listens on a Unix socket inside its data folder only (no TCP port to collide with).
/// PostgreSQL refuses to run as root, so when we are root the server runs as `postgres`.
public final class EmbeddedPostgres: Sendable {
    public struct Options: Sendable {
        /// Fast and unsafe (no fsync): for throwaway test clusters only.
        public var durable = true
        public var maximumConnections = 100
        /// Where initdb and pg_ctl are looked for, in order, before the newest
        /// `/usr/lib/postgresql/*/bin` (the caller's configured folder, its PATH).
        public var binarySearchPath: [String] = []
        public init(durable: Bool = true, maximumConnections: Int = 100, binarySearchPath: [String] = []) {
            self.durable = durable
            self.maximumConnections = maximumConnections
            self.binarySearchPath = binarySearchPath
        }
    }

    public let dataDirectory: URL
    public let options: Options
    private let binaries: URL
    private let logger: Logger
    private static let port = 5432
    private static let superuser = "yachaq"

    public init(dataDirectory: URL, options: Options = .init(), logger: Logger = Logger(label: "yachaq.embedded-postgres")) throws {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.options = options
        self.logger = logger
        binaries = try Self.findBinaries(searchPath: options.binarySearchPath)
        let socket = "\(self.dataDirectory.path)/.s.PGSQL.\(Self.port)"
        guard socket.utf8.count < 100 else {
            throw EmbeddedPostgresError(
                message: "the data folder path is too long for a Unix socket (\(socket)); choose a shorter --data-dir")
        }
    }

    /// The server's maintenance database; `endpoint(database:)` names another.
    public func endpoint(database: String = "postgres") -> DatabaseEndpoint {
        DatabaseEndpoint(host: .socketDirectory(dataDirectory.path), port: Self.port, username: Self.superuser, database: database)
    }

    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    /// Creates the cluster if the folder holds none, then starts it. Returns whether this
    /// process now owns the server (and so stops it): true when it started it, or took over
    /// one whose owner died without stopping it (a crash, SIGKILL); false when another live
    /// process runs it, which is then used as it is.
    @discardableResult
    public func start() throws -> Bool {
        if !isInitialized { try initialize() }
        if try run("pg_ctl", ["status", "-D", dataDirectory.path], allowedExitCodes: [0, 3]) == 0 {
            if let owner = owner, owner != getpid(), kill(owner, 0) == 0 || errno == EPERM {
                logger.info("embedded PostgreSQL already running", metadata: ["data": "\(dataDirectory.path)", "owner": "\(owner)"])
                return false
            }
            logger.warning(
                "embedded PostgreSQL was left running by a process that is gone; taking it over",
                metadata: ["data": "\(dataDirectory.path)"])
            try claimOwnership()
            return true
        }
        do {
            try run("pg_ctl", ["start", "-w", "-t", "120", "-D", dataDirectory.path, "-l", serverLog.path])
        } catch {
            let log = (try? String(contentsOf: serverLog, encoding: .utf8)) ?? ""
            throw EmbeddedPostgresError(message: "\(error)\n\(log.split(separator: "\n").suffix(15).joined(separator: "\n"))")
        }
        try claimOwnership()
        logger.info("embedded PostgreSQL started", metadata: ["data": "\(dataDirectory.path)"])
        return true
    }

    /// Fast shutdown: open transactions are rolled back, the server stops cleanly.
    public func stop() throws {
        guard isInitialized else { return }
        try run("pg_ctl", ["stop", "-w", "-m", "fast", "-D", dataDirectory.path], allowedExitCodes: [0, 3])
        try? FileManager.default.removeItem(at: ownerFile)
        logger.info("embedded PostgreSQL stopped", metadata: ["data": "\(dataDirectory.path)"])
    }

    /// The process that owns the running server, as it wrote itself down.
    private var owner: pid_t? {
        (try? String(contentsOf: ownerFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private func claimOwnership() throws {
        try String(getpid()).write(to: ownerFile, atomically: true, encoding: .utf8)
    }

    private var ownerFile: URL { dataDirectory.appendingPathComponent("yachaq.pid") }

    public func databaseExists(_ name: String) throws -> Bool {
        let connection = try LibPQConnection(endpoint())
        return try !connection.execute("SELECT 1 FROM pg_database WHERE datname = $1", [name]).isEmpty
    }

    /// `CREATE DATABASE name [TEMPLATE template]`; names are checked, not escaped.
    public func createDatabase(_ name: String, template: String? = nil) throws {
        for identifier in [name] + (template.map { [$0] } ?? []) {
            guard identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw EmbeddedPostgresError(message: "not a plain database name: \(identifier)")
            }
        }
        let connection = try LibPQConnection(endpoint())
        try connection.execute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
    }

    /// The schema of `database` as `pg_dump --schema-only` prints it, without the lines that
    /// change from one dump to the next (versions, the random `\restrict` key).
    public func dumpSchema(database: String) throws -> String {
        // Inside the data folder: pg_dump may run as postgres, who can write there.
        let file = dataDirectory.appendingPathComponent("schema-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: file) }
        let target = endpoint(database: database)
        try run(
            "pg_dump",
            [
                "--schema-only", "--no-owner", "--no-privileges", "-h", dataDirectory.path, "-p", String(Self.port),
                "-U", target.username, "-d", database, "-f", file.path,
            ])
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let varying = ["-- Dumped from database version", "-- Dumped by pg_dump version", "\\restrict", "\\unrestrict"]
        let header =
            "-- The whole schema after every migration, printed by `yachaq schema --output SQL/schema.sql`.\n"
            + "-- Read it, never edit it: a change is a new numbered migration, then this file again.\n"
        return header + lines.filter { line in !varying.contains { line.hasPrefix($0) } }.joined(separator: "\n")
    }

    /// A streaming standby of this running server, made in `folder` with
    /// `pg_basebackup -R` (it follows the primary over replication) and started; it listens
    /// on its own folder's socket. For trying read replicas on one machine.
    public func startStandby(in folder: URL) throws -> EmbeddedPostgres {
        let folder = folder.standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let owner = Self.serverAccount {
            guard chown(folder.path, owner.uid, owner.gid) == 0 else {
                throw EmbeddedPostgresError(message: "cannot give \(folder.path) to the postgres user")
            }
        }
        chmod(folder.path, 0o700)
        try run(
            "pg_basebackup",
            [
                "-D", folder.path, "-R", "-X", "stream", "-c", "fast", "-h", dataDirectory.path, "-p", String(Self.port), "-U",
                Self.superuser,
            ])
        // postgresql.auto.conf wins over the copied postgresql.conf, which names our socket folder.
        let settings = folder.appendingPathComponent("postgresql.auto.conf")
        let handle = try FileHandle(forWritingTo: settings)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("unix_socket_directories = '\(folder.path)'\n".utf8))
        try handle.close()
        // Copied from the running primary, they would claim it is running here too.
        for leftover in ["yachaq.pid", ".s.PGSQL.\(Self.port).lock"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(leftover))
        }
        let standby = try EmbeddedPostgres(dataDirectory: folder, options: options, logger: logger)
        try standby.start()
        return standby
    }

    private var serverLog: URL { dataDirectory.appendingPathComponent("server.log") }

    private func initialize() throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        if let owner = Self.serverAccount {
            // Made by root: hand the folder to the account the server runs as.
            guard chown(dataDirectory.path, owner.uid, owner.gid) == 0 else {
                throw EmbeddedPostgresError(message: "cannot give \(dataDirectory.path) to the postgres user")
            }
        }
        chmod(dataDirectory.path, 0o700)
        var arguments = ["-D", dataDirectory.path, "-U", Self.superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
        if !options.durable { arguments.append("--no-sync") }
        try run("initdb", arguments)

        var settings = [
            "listen_addresses = ''",
            "unix_socket_directories = '\(dataDirectory.path)'",
            "port = \(Self.port)",
            "max_connections = \(options.maximumConnections)",
        ]
        if !options.durable {
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        }
        let configuration = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: configuration)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n# yachaq\n" + settings.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        logger.info("embedded PostgreSQL cluster created", metadata: ["data": "\(dataDirectory.path)"])
    }

    /// Runs a PostgreSQL program (as `postgres` when we are root) and waits for it.
    ///
    /// Not through Foundation's `Process`: it learns that a child ended from a descriptor
    /// the child inherits, and the server that `pg_ctl start` leaves behind would inherit
    /// it too, so the wait would never end. Here the child gets only stdin (/dev/null) and
    /// stdout/stderr (a file), and `waitpid` tells when it is done.
    @discardableResult
    private func run(_ program: String, _ arguments: [String], allowedExitCodes: Set<Int32> = [0]) throws -> Int32 {
        let executable = binaries.appendingPathComponent(program).path
        let argv =
            Self.serverAccount != nil
            ? [try Self.runuser(), "-u", "postgres", "--", executable] + arguments
            : [executable] + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-\(program)-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        yachaq_spawn_close_from(&actions, 3)

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw EmbeddedPostgresError(message: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard allowedExitCodes.contains(exitCode) else {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw EmbeddedPostgresError(message: "\(program) \(arguments.joined(separator: " ")) exited with \(exitCode): \(text)")
        }
        return exitCode
    }

    /// The `postgres` account when we are root (PostgreSQL will not run as root), else nil.
    private static var serverAccount: (uid: uid_t, gid: gid_t)? {
        guard geteuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    private static func runuser() throws -> String {
        for path in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw EmbeddedPostgresError(message: "running as root needs runuser (util-linux) to start PostgreSQL as the postgres user")
    }

    /// The first folder of `searchPath` with initdb and pg_ctl, else the newest `/usr/lib/postgresql/*/bin`.
    static func findBinaries(searchPath: [String]) throws -> URL {
        var candidates = searchPath
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for folder in candidates {
            let url = URL(fileURLWithPath: folder, isDirectory: true)
            if ["initdb", "pg_ctl"].allSatisfy({ FileManager.default.isExecutableFile(atPath: url.appendingPathComponent($0).path) }) {
                return url.appendingPathComponent("pg_ctl").resolvingSymlinksInPath().deletingLastPathComponent()
            }
        }
        throw EmbeddedPostgresError(
            message:
                "initdb and pg_ctl were not found on PATH nor under /usr/lib/postgresql/*/bin; install PostgreSQL 15+ (Debian: "
                + "apt-get install postgresql postgresql-contrib) or set DATABASE_URL"
        )
    }
}

public struct EmbeddedPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
