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
        subcommands: [Match.self, CSVFile.self, Framework.self]
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

            let service = try await timed(clients: clients) { index in
                _ = try await store.shortlist(request: ids[index % ids.count], limit: limit)
            }
            print(service.line("service (MatchStore.shortlist: its statement + reasons)"))
            fflush(nil)
            let direct = try await timed(clients: clients) { index in
                _ = try await client.query(MatchStore.shortlistQuery(request: ids[index % ids.count], limit: limit)).collect()
            }
            print(direct.line("the statement alone, through PostgresNIO"))
            let transactions = max(1, service.latencies.count / clients)
            if let pgbench = try runPgbench(endpoint: endpoint, requests: ids, transactions: transactions) {
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

        struct Timing {
            var latencies: [Double]
            var elapsed: Double
            var qps: Double { Double(latencies.count) / elapsed }

            func percentile(_ fraction: Double) -> Double {
                let sorted = latencies.sorted()
                return sorted[min(sorted.count - 1, Int((fraction * Double(sorted.count - 1)).rounded()))]
            }

            func line(_ label: String) -> String {
                String(
                    format: "%@: p50 %.2f ms, p99 %.2f ms, %.1f q/s (%d queries)", label, percentile(0.5), percentile(0.99), qps,
                    latencies.count)
            }
        }

        /// Runs `work` from `clients` tasks for `seconds`, each call timed.
        private func timed(clients: Int, _ work: @escaping @Sendable (Int) async throws -> Void) async throws -> Timing {
            let clock = ContinuousClock(), start = clock.now, deadline = start + .seconds(seconds)
            let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for task in 0..<clients {
                    group.addTask {
                        var latencies: [Double] = [], index = task
                        while clock.now < deadline {
                            let began = clock.now
                            try await work(index)
                            latencies.append((clock.now - began) / .milliseconds(1))
                            index += clients
                        }
                        return latencies
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            return Timing(latencies: latencies, elapsed: (clock.now - start) / .seconds(1))
        }

        /// The shortlist's statement under pgbench against the same database, a random benchmark request
        /// per call, as many calls per client as the service made. (A count, not `-T`: pgbench
        /// times `-T` with SIGALRM, which a child of this process may have blocked.)
        private func runPgbench(endpoint: DatabaseEndpoint, requests: [UUID], transactions: Int) throws -> (tps: Double, latencyMs: Double)?
        {
            let path = Settings.process.postgresSearchPath + ["/usr/lib/postgresql/15/bin", "/usr/bin"]
            guard let pgbench = path.map({ "\($0)/pgbench" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
                return nil
            }
            let script = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-match-\(UUID().uuidString).sql")
            defer { try? FileManager.default.removeItem(at: script) }
            // The request's id first, into a pgbench variable: a constant for the planner, as
            // the service binds it. (A subquery in its place plans the function for any request.)
            // (Picked from a list, not looked up by title: the national registry has 300,000 requests.)
            let ids = requests.map { "'\($0.uuidString.lowercased())'" }.joined(separator: ",")
            let lookup = "SELECT (ARRAY[\(ids)])[:n] AS request \\gset"
            let call = MatchStore.pgbenchCall(limit: limit).replacingOccurrences(of: ":request::uuid", with: "':request'::uuid")
            try "\\set n random(1, \(requests.count))\n\(lookup)\n\(call)\n".write(to: script, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: pgbench)
            var arguments = [
                "-n", "-f", script.path, "-c", String(clients), "-j", String(clients), "-t", String(transactions), "-U", endpoint.username,
                "-p", String(endpoint.port),
            ]
            switch endpoint.host {
            case .tcp(let host): arguments += ["-h", host]
            case .socketDirectory(let directory): arguments += ["-h", directory]
            }
            process.arguments = arguments + [endpoint.database]
            if let password = endpoint.password {
                process.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password]) { $1 }
            }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                let tps = text.firstMatch(of: /tps = ([0-9.]+)/).flatMap({ Double($0.1) }),
                let latency = text.firstMatch(of: /latency average = ([0-9.]+) ms/).flatMap({ Double($0.1) })
            else { throw ValidationError("pgbench failed:\n\(text)") }
            return (tps, latency)
        }
    }
}
