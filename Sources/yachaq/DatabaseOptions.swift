import ArgumentParser
import Foundation
import Logging
import YachaqAssets
import YachaqStore

/// Which database to use: `DATABASE_URL`, or else the embedded cluster in the data folder.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (env DATABASE_URL); without it an embedded cluster is used.")
    var databaseURL: String?

    @Option(name: .customLong("data-dir"), help: "Folder of the embedded PostgreSQL cluster (env YACHAQ_DATA_DIR, default ./.yachaq/pg).")
    var dataDirectory: String?

    @Option(
        name: .customLong("assets-dir"),
        help: "Folder of the assets (`yachaq assets export`) to use instead of the copies in the binary (env YACHAQ_ASSETS_DIR).")
    var assetsDirectory: String?

    /// The migrations, pages and API description: the flag's folder, the variable's, or the binary's own.
    var assets: AssetTree {
        assetsDirectory.map { AssetTree(directory: URL(fileURLWithPath: $0, isDirectory: true)) } ?? Settings.process.assets
    }

    /// The database the service uses inside the embedded cluster.
    static let embeddedDatabase = "yachaq"

    /// A ready database, and the embedded server to stop afterwards if this process started it.
    func open(logger: Logger) throws -> (endpoint: DatabaseEndpoint, startedServer: EmbeddedPostgres?) {
        let settings = Settings.process
        if let url = databaseURL ?? settings.databaseURL {
            return (try DatabaseEndpoint(url: url), nil)
        }
        let folder = dataDirectory ?? settings.dataDirectory
        let server = try EmbeddedPostgres(
            dataDirectory: URL(fileURLWithPath: folder, isDirectory: true),
            options: .init(binarySearchPath: settings.postgresSearchPath), logger: logger)
        let started = try server.start()
        do {
            if try !server.databaseExists(Self.embeddedDatabase) {
                try server.createDatabase(Self.embeddedDatabase)
            }
        } catch {
            if started { try? server.stop() }
            throw error
        }
        return (server.endpoint(database: Self.embeddedDatabase), started ? server : nil)
    }
}

/// A logger at the configured `LOG_LEVEL`, writing lines of text or, with `LOG_FORMAT=json`,
/// JSON objects (every logger of the process, the libraries' too).
func makeLogger(_ label: String) -> Logger {
    _ = logSystem
    var logger = Logger(label: label)
    logger.logLevel = Settings.process.logLevel
    return logger
}

/// Chosen once per process, before the first logger is made.
private let logSystem: Void = {
    if Settings.process.logFormat == "json" {
        let level = Settings.process.logLevel
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
    }
}()
