import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import YachaqServer
import YachaqStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate the database, then serve the HTTP API until SIGINT or SIGTERM."
    )

    // No short name: -h stays --help.
    @Option(name: .long, help: "Address to listen on (env HOST, default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (env PORT, default 8080).")
    var port: Int?

    @Flag(help: "Fill an empty database with demo data first (see `yachaq seed --demo`).")
    var demo = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let settings = Settings.process
        let logger = makeLogger("yachaq")
        var configuration = settings.server(host: host, port: port)
        let fitted = configuration.connectionLimits.fitting(openFiles: Self.openFileLimit())
        if fitted != configuration.connectionLimits {
            logger.notice("connections capped below the limit of open files", metadata: ["max_connections": "\(fitted.total)"])
        }
        configuration.connectionLimits = fitted
        configuration.assets = database.assets
        try checkAssets(configuration.assets)
        let tracing = settings.tracesCollector != nil ? try makeTracing() : nil
        configuration.tracing = tracing != nil
        let statementTimeout = settings.statementTimeout
        let (endpoint, server) = try database.open(logger: logger)
        defer {
            // Runs after graceful shutdown has drained requests and closed the pool.
            do { try server?.stop() } catch { logger.error("could not stop the embedded PostgreSQL", metadata: ["error": "\(error)"]) }
        }
        try Migrator(assets: database.assets, logger: logger).migrate(endpoint)
        logger.info("database ready", metadata: ["database": "\(endpoint.redactedDescription)"])
        let reference = try ReferenceData.load(endpoint)

        let client = PostgresClient(
            configuration: try endpoint.clientConfiguration(
                statementTimeout: statementTimeout, connectTimeout: .seconds(2)),
            backgroundLogger: logger
        )
        // Opened like the primary's pool; an unreachable replica only sends reads to the primary.
        let readReplica = try settings.databaseReadURL.map { url in
            let replica = try DatabaseEndpoint(url: url)
            logger.info("read replica", metadata: ["database": "\(replica.redactedDescription)"])
            let pool = PostgresClient(
                configuration: try replica.clientConfiguration(
                    statementTimeout: statementTimeout, connectTimeout: .seconds(2)),
                backgroundLogger: logger)
            return ReadReplica(pool, of: client, configuration: configuration, logger: logger)
        }
        let seedIfEmpty: @Sendable () async throws -> Void = {
            let database = Database(client, connectionWait: .seconds(60))
            let empty = try await database.query("SELECT NOT EXISTS (SELECT 1 FROM providers)").collect().first?.decode(Bool.self) ?? false
            if empty {
                try await seedDemo(database, logger: logger)
            } else {
                logger.info("demo: the registry has data already; nothing seeded")
            }
        }
        let app = buildApplication(
            configuration: configuration, database: client, reference: reference, replica: readReplica,
            listening: try endpoint.connectionConfiguration(),
            logger: logger, services: tracing.map { [$0] } ?? [], prepare: demo ? seedIfEmpty : nil)
        // SIGTERM: stop accepting, finish what is in flight (every request ends within its
        // timeout), close the pool; whatever still runs after 8 s is cancelled, and after 2 s
        // more the group gives up on it, so the process always exits.
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(8)
        group.maximumCancellationDuration = .seconds(2)
        try await ServiceGroup(configuration: group).run()
    }

    /// The process's soft limit of open files (`ulimit -n`); `RLIM_INFINITY` is all ones, so
    /// it clamps to `Int.max`.
    static func openFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Int.max }
        return Int(clamping: limit.rlim_cur)
    }
}
