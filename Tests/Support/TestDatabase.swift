import Foundation
import Logging
import YachaqAssets
import PostgresNIO
import Synchronization
import YachaqStore

/// Real PostgreSQL for tests, fast: one throwaway cluster per test process, the migrations
/// applied once to `yachaq_template`, and each test given its own copy of it
/// (`CREATE DATABASE ... TEMPLATE`, tens of milliseconds). Nothing needs to run beforehand.
public enum TestDatabase {
    /// A migrated database of the test's own.
    public static func fresh() async throws -> DatabaseEndpoint {
        try await TestCluster.shared.database(template: TestCluster.template)
    }

    /// The reference data of every migrated test database, read once from the template (the
    /// service reads it once at start the same way).
    public static func reference() async throws -> ReferenceData {
        try await TestCluster.shared.referenceData()
    }

    /// An empty database (no migrations), for the migrator's own tests.
    public static func empty() async throws -> DatabaseEndpoint {
        try await TestCluster.shared.database(template: nil)
    }

    /// A started cluster of the caller's own, for tests that stop and start the server.
    public static func privateCluster() throws -> EmbeddedPostgres {
        try TestCluster.makeCluster()
    }

    /// The migrated schema as `pg_dump --schema-only` prints it (see `yachaq schema`).
    public static func migratedSchema() async throws -> String {
        try await TestCluster.shared.templateSchema()
    }

    /// A started cluster of the caller's own with a migrated database `yachaq` on it.
    public static func privateMigratedCluster() throws -> (cluster: EmbeddedPostgres, endpoint: DatabaseEndpoint) {
        let cluster = try TestCluster.makeCluster()
        try cluster.createDatabase("yachaq")
        let endpoint = cluster.endpoint(database: "yachaq")
        try Migrator(assets: TestDatabase.assets, logger: logger).migrate(endpoint)
        return (cluster, endpoint)
    }

    /// A streaming standby of `primary` (`pg_basebackup -R`), started, and stopped and removed
    /// with the test clusters.
    public static func standby(of primary: EmbeddedPostgres) throws -> EmbeddedPostgres {
        let folder = primary.dataDirectory.deletingLastPathComponent().appendingPathComponent("standby")
        let standby = try primary.startStandby(in: folder)
        clustersToRemove.withLock { $0.append((standby, folder)) }
        return standby
    }

    /// Runs `body` with a connection pool to `endpoint`, closed afterwards.
    public static func withClient<T>(_ endpoint: DatabaseEndpoint, _ body: (Database) async throws -> T) async throws -> T {
        let client = makeClient(endpoint)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(Database(client, connectionWait: Patience.wait))
        }
    }

    /// A small pool: many tests run at once against one cluster. Tests of concurrent writers
    /// ask for a larger one, so that their transactions really overlap. Its statement timeout
    /// ends a statement that hangs, not one that a loaded machine makes slow.
    public static func makeClient(_ endpoint: DatabaseEndpoint, maximumConnections: Int = poolSize) -> PostgresClient {
        PostgresClient(
            configuration: try! endpoint.clientConfiguration(maximumConnections: maximumConnections, statementTimeout: Patience.wait),
            backgroundLogger: logger)
    }

    public static let poolSize = 4

    public static let logger: Logger = {
        var logger = Logger(label: "yachaq.tests")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    // The tests' own settings, from the same variables the service reads (README).
    private static let environment = ProcessInfo.processInfo.environment
    /// `YACHAQ_ASSETS_DIR`, else the assets compiled into the binaries, as the service reads them.
    public static let assets = environment["YACHAQ_ASSETS_DIR"].map { AssetTree(directory: URL(fileURLWithPath: $0)) } ?? .embedded
    /// The source tree this test binary was built from, for files that are not assets (SQL/schema.sql).
    public static let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// Where the test clusters go: `YACHAQ_TEST_TMPDIR`; else `/dev/shm` when it has room, since
    /// a run leaves some 3 GB in 110,000 files (a database for each test), which a disk mounted
    /// with `discard` took five minutes to remove at exit on a busy machine and memory removes
    /// in seconds; else the system's temporary folder.
    public static let scratch: URL = {
        if let folder = environment["YACHAQ_TEST_TMPDIR"] { return URL(fileURLWithPath: folder, isDirectory: true) }
        let memory = "/dev/shm"
        let free = (try? FileManager.default.attributesOfFileSystem(forPath: memory))?[.systemFreeSize] as? NSNumber
        if let free, free.int64Value > 8 << 30 { return URL(fileURLWithPath: memory, isDirectory: true) }
        return FileManager.default.temporaryDirectory
    }()
    /// `YACHAQ_PG_BIN`, then `PATH`.
    public static let searchPath =
        [environment["YACHAQ_PG_BIN"]].compactMap { $0 } + (environment["PATH"] ?? "").split(separator: ":").map(String.init)
}

actor TestCluster {
    static let shared = TestCluster()
    static let template = "yachaq_template"

    private var server: EmbeddedPostgres?
    private var databases = 0
    private var reference: ReferenceData?

    func referenceData() throws -> ReferenceData {
        if let reference { return reference }
        let loaded = try ReferenceData.load(try startedServer().endpoint(database: Self.template))
        reference = loaded
        return loaded
    }

    func database(template: String?) throws -> DatabaseEndpoint {
        let server = try startedServer()
        databases += 1
        let name = "test_\(databases)"
        try server.createDatabase(name, template: template)
        return server.endpoint(database: name)
    }

    func templateSchema() throws -> String {
        try startedServer().dumpSchema(database: Self.template)
    }

    private func startedServer() throws -> EmbeddedPostgres {
        if let server { return server }
        let server = try Self.makeCluster()
        try server.createDatabase(Self.template)
        try Migrator(assets: TestDatabase.assets, logger: TestDatabase.logger).migrate(server.endpoint(database: Self.template))
        self.server = server
        return server
    }

    /// A new cluster in a new folder under `TestDatabase.scratch`, stopped and removed when
    /// the test process exits.
    static func makeCluster() throws -> EmbeddedPostgres {
        let folder = TestDatabase.scratch.appendingPathComponent("yachaq-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o755)  // the server may run as another user (postgres, when we are root)
        let server = try EmbeddedPostgres(
            dataDirectory: folder.appendingPathComponent("data"),
            // Swift Testing starts every test at once; each world and app holds up to 9
            // connections for a moment (its fixtures' pool, the app's pool, LISTEN). 300 was
            // once reached ("too many clients already") on an idle machine: a backend that
            // exists only while a test runs costs a few MB.
            options: .init(durable: false, maximumConnections: 1000, binarySearchPath: TestDatabase.searchPath),
            logger: TestDatabase.logger
        )
        clustersToRemove.withLock { clusters in
            if clusters.isEmpty { atexit(removeClusters) }
            clusters.append((server, folder))
        }
        try server.start()
        return server
    }
}

private let clustersToRemove = Mutex<[(EmbeddedPostgres, URL)]>([])

private func removeClusters() {
    for (server, folder) in clustersToRemove.withLock({ $0 }) {
        try? server.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
