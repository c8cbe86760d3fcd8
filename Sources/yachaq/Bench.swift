import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import YachaqDomain
import YachaqSeed
import YachaqStore

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the service against the database alone.",
        subcommands: [Match.self, CSVFile.self, Framework.self, Driver.self]
    )

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Shortlists for varied requests: p50/p99 latency and queries per second, the service beside the same SQL run by pgbench.",
            discussion: "Seed a registry first (yachaq seed --providers 100000). Benchmark requests are made once and reused."
        )

        @Option(help: "How many different requests.") var requests = 50
        @Option(help: "Seconds for each measurement.") var seconds = 15
        @Option(help: "Clients at once (service tasks and pgbench clients alike).") var clients = 1
        @Option(help: "Shortlist length.") var limit = 20
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var logger = makeLogger("yachaq.bench")
            logger.logLevel = .warning
            let (endpoint, server) = try database.open(logger: logger)
            defer { try? server?.stop() }
            try Migrator(assets: database.assets, logger: logger).migrate(endpoint)
            let client = PostgresClient(
                configuration: try endpoint.clientConfiguration(maximumConnections: max(2, clients)), backgroundLogger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await measure(Database(client, connectionWait: .seconds(60)), endpoint: endpoint, logger: logger)
            }
        }

        private func measure(_ client: Database, endpoint: DatabaseEndpoint, logger: Logger) async throws {
            let providers = try await client.query("SELECT count(*) FROM providers").collect().first!.decode(Int.self)
            let ids = try await BulkSeed(database: client, logger: logger).benchmarkRequests(requests)
            let store = MatchStore(database: client, logger: logger)
            var shortlisted = 0
            for id in ids { shortlisted += try await store.shortlist(request: id, limit: limit).count }  // warm-up
            print(
                "registry: \(providers) providers; \(ids.count) requests; shortlists of up to \(limit) (mean "
                    + "\(shortlisted / ids.count)); \(clients) client(s), \(seconds) s each"
            )

            let service = try await BenchClock.timed(clients: clients, seconds: seconds) { index in
                _ = try await store.shortlist(request: ids[index % ids.count], limit: limit)
            }
            print(service.line("service (MatchStore.shortlist: its statement + reasons)"))
            fflush(nil)
            let direct = try await BenchClock.timed(clients: clients, seconds: seconds) { index in
                _ = try await client.query(MatchStore.shortlistQuery(request: ids[index % ids.count], limit: limit)).collect()
            }
            print(direct.line("the statement alone, through PostgresNIO"))
            let transactions = max(1, service.latencies.count / clients)
            // The request's id first, into a pgbench variable: a constant for the planner, as
            // the service binds it. (A subquery in its place plans the function for any request.)
            // (Picked from a list, not looked up by title: the national registry has 300,000 requests.)
            let list = ids.map { "'\($0.uuidString.lowercased())'" }.joined(separator: ",")
            let call = MatchStore.pgbenchCall(limit: limit).replacingOccurrences(of: ":request::uuid", with: "':request'::uuid")
            let script = "\\set n random(1, \(ids.count))\nSELECT (ARRAY[\(list)])[:n] AS request \\gset\n\(call)\n"
            if let pgbench = try Pgbench.run(script, endpoint: endpoint, clients: clients, transactions: transactions) {
                print(
                    String(
                        format: "the statement alone, pgbench -c %d -t %d: %.1f q/s (mean latency %.2f ms)", clients, transactions,
                        pgbench.tps, pgbench.latencyMs))
                print(String(format: "service / database (pgbench): %.2f", service.qps / pgbench.tps))
            } else {
                print("pgbench not found: install PostgreSQL's client tools for the database-alone figure")
            }
            print(String(format: "service / database (PostgresNIO): %.2f", service.qps / direct.qps))
        }
    }
}
