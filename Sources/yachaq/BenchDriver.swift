import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import YachaqStore

extension Bench {
    /// Where the fixed cost of a query goes: one small statement (a district by its code)
    /// again and again from one client, through PostgresNIO on one connection held
    /// throughout, through PostgresNIO's pool (a lease per query), through the service's
    /// `Database` (the same lease in a task of its own, watched, as every store does), and
    /// through pgbench (libpq). No HTTP: what is left between the first and the last is
    /// the driver and the lease, not the framework.
    struct Driver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One small statement from one client: PostgresNIO, the service's leased query, pgbench.")

        @Option(help: "Seconds for each measurement.") var seconds = 5
        @OptionGroup var database: DatabaseOptions

        static let statement = "SELECT ubigeo, district, province, department, latitude, longitude FROM districts WHERE ubigeo = "

        func run() async throws {
            let logger = {
                var logger = makeLogger("yachaq.bench")
                logger.logLevel = .warning
                return logger
            }()
            let (endpoint, server) = try database.open(logger: logger)
            defer { try? server?.stop() }
            let client = PostgresClient(configuration: try endpoint.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let pool = Database(client, connectionWait: .seconds(60))
                let held = try await client.withConnection { connection in
                    try await BenchClock.timed(clients: 1, seconds: seconds) { _ in
                        _ = try await connection.query("\(unescaped: Self.statement)\("080101")", logger: logger).collect()
                    }
                }
                print(held.line("PostgresNIO, one connection held"))
                let pooled = try await BenchClock.timed(clients: 1, seconds: seconds) { _ in
                    _ = try await client.withConnection { connection in
                        try await connection.query("\(unescaped: Self.statement)\("080101")", logger: logger).collect()
                    }
                }
                print(pooled.line("PostgresNIO, its pool's lease per query"))
                let leased = try await BenchClock.timed(clients: 1, seconds: seconds) { _ in
                    _ = try await pool.query("\(unescaped: Self.statement)\("080101")")
                }
                print(leased.line("Database.query, a lease per query"))
                let script = "\(Self.statement)'080101';\n"
                if let pgbench = try Pgbench.run(
                    script, endpoint: endpoint, clients: 1, transactions: leased.latencies.count, protocol: "extended")
                {
                    print(String(format: "pgbench -M extended (libpq): %.1f q/s, mean latency %.3f ms", pgbench.tps, pgbench.latencyMs))
                    print(String(format: "held ÷ pgbench %.2f; leased ÷ pgbench %.2f", held.qps / pgbench.tps, leased.qps / pgbench.tps))
                }
            }
        }
    }
}
