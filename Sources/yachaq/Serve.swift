import ArgumentParser
import Foundation
import PostgresNIO
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
        let environment = ProcessInfo.processInfo.environment
        let logger = makeLogger("yachaq")
        let sessionDays = environment["YACHAQ_SESSION_DAYS"].flatMap(Int.init) ?? 30
        let configuration = ServerConfiguration(
            host: host ?? environment["HOST"] ?? "127.0.0.1",
            port: port ?? environment["PORT"].flatMap(Int.init) ?? 8080,
            sessionLifetime: .seconds(max(1, sessionDays) * 24 * 3600)
        )
        let (endpoint, server) = try database.open(logger: logger)
        defer {
            // Runs after graceful shutdown has drained requests and closed the pool.
            do { try server?.stop() } catch { logger.error("could not stop the embedded PostgreSQL", metadata: ["error": "\(error)"]) }
        }
        try Migrator(directory: Migrator.defaultDirectory(), logger: logger).migrate(endpoint)
        logger.info("database ready", metadata: ["database": "\(endpoint.redactedDescription)"])

        let client = PostgresClient(configuration: try endpoint.clientConfiguration(), backgroundLogger: logger)
        let seedIfEmpty: @Sendable () async throws -> Void = {
            let empty = try await client.query("SELECT NOT EXISTS (SELECT 1 FROM providers)").collect().first!.decode(Bool.self)
            if empty { try await seedDemo(client, logger: logger) } else { logger.info("demo: the registry has data already; nothing seeded") }
        }
        let seed = demo ? seedIfEmpty : nil
        let app = buildApplication(configuration: configuration, database: client, logger: logger, prepare: seed)
        try await app.runService()
    }
}
