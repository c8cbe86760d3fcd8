import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import YachaqStore

extension DatabaseOptions {
    /// Opens the database (starting the embedded one if needed), brings its schema up to
    /// date, and runs `body` with a connection pool; stops what it started afterwards.
    func withMigratedDatabase<T>(logger: Logger, _ body: (Database) async throws -> T) async throws -> T {
        let (endpoint, server) = try open(logger: logger)
        defer { try? server?.stop() }
        try Migrator(assets: assets, logger: logger).migrate(endpoint)
        var quiet = logger
        quiet.logLevel = .error  // the pool warns about the lease below racing its own start
        let client = PostgresClient(configuration: try endpoint.clientConfiguration(maximumConnections: 4), backgroundLogger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // The migrator reached the database through libpq; the pool must too, before
            // anything is written, or the command says why instead of waiting.
            do {
                try await Database(client, connectionWait: .seconds(15)).withConnection { _ in }
            } catch {
                throw ValidationError("cannot connect to \(endpoint.redactedDescription) within 15 s: \(error)")
            }
            // A command waits as long as it takes for its few connections.
            return try await body(Database(client, connectionWait: .seconds(60)))
        }
    }
}

/// A one-line progress bar on standard error: `[#####.....] 5000/10000 rows, 8123 rows/s`.
final class ProgressBar: Sendable {
    private let start = ContinuousClock.now

    func update(_ done: Int, of total: Int) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let seconds = max((ContinuousClock.now - start) / .seconds(1), 0.001)
        let line =
            "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) rows, "
            + "\(Int(Double(done) / seconds)) rows/s"
        FileHandle.standardError.write(Data(line.utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    var elapsedSeconds: Double { (ContinuousClock.now - start) / .seconds(1) }
}
