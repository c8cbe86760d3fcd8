import ArgumentParser
import Foundation
import YachaqStore

/// Timed calls for `yachaq bench`: latencies of each call and calls per second.
enum BenchClock {
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
                format: "%@: p50 %.3f ms, p99 %.3f ms, %.1f q/s (%d queries)", label, percentile(0.5), percentile(0.99), qps,
                latencies.count)
        }
    }

    /// Runs `work` from `clients` tasks for `seconds`, each call timed.
    static func timed(clients: Int, seconds: Int, _ work: @escaping @Sendable (Int) async throws -> Void) async throws -> Timing {
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
}

/// pgbench (PostgreSQL's own client, libpq) against the same database: the database alone.
enum Pgbench {
    /// `script` run `transactions` times by each of `clients`; nil when pgbench is not
    /// installed. (A count, not `-T`: pgbench times `-T` with SIGALRM, which a child of this
    /// process may have blocked.)
    static func run(_ script: String, endpoint: DatabaseEndpoint, clients: Int, transactions: Int, protocol mode: String = "simple")
        throws -> (tps: Double, latencyMs: Double)?
    {
        let path = Settings.process.postgresSearchPath + ["/usr/lib/postgresql/15/bin", "/usr/bin"]
        guard let pgbench = path.map({ "\($0)/pgbench" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-bench-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: file) }
        try script.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pgbench)
        var arguments = [
            "-n", "-M", mode, "-f", file.path, "-c", String(clients), "-j", String(clients), "-t", String(transactions), "-U",
            endpoint.username, "-p", String(endpoint.port),
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
