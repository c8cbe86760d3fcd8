import Foundation
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// The connection pool as every store uses it, with the two guarantees PostgresNIO's
/// `PostgresClient` lacks on its own:
///
/// - **A bounded wait for a connection.** With the database gone, the pool queues leases
///   until its circuit breaker trips (about a minute); here a lease that has waited
///   `connectionWait` fails with `DatabaseUnavailable`, which the HTTP layer answers 503.
/// - **No leaked connection.** `PostgresClient.query` writes the query, then attaches the
///   code that turns the result into a row stream which returns the connection when it
///   finishes. In postgres-nio 1.33.2, when the server's error arrives before that code is
///   attached (the task was descheduled a little too long), `PSQLRowStream.asyncSequence`
///   takes its `.failure` branch, which never calls `onFinish`: the connection stays leased
///   for good. Conflicting INSERT … RETURNING under load leaked about one in 150 that way
///   until the pool was empty and every route hung. Here a query runs on a connection
///   leased for a closure, its rows read before the lease ends, whatever happens.
public struct Database: Sendable {
    public let client: PostgresClient
    /// How long a caller waits for a free connection before being told the database is
    /// unavailable.
    public var connectionWait: Duration
    /// Where `reading` goes when it may; nil: everything on `client`.
    public let replica: ReadReplica?
    let meters: PoolMeters
    let watchdog = Watchdog.shared

    /// `pool` names the pool on /metrics.
    public init(_ client: PostgresClient, connectionWait: Duration = .seconds(1), replica: ReadReplica? = nil, pool: String = "primary") {
        self.client = client
        self.connectionWait = connectionWait
        self.replica = replica
        meters = PoolMeters(pool: pool)
    }

    /// Runs a read-only `body` on the replica when it serves this request's user
    /// (`ReadReplica.serves`), else (or when no replica connection comes in time) on the primary.
    public func reading<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let replica, replica.serves(writtenAt: ReadYourWrites.writtenAt) {
            do {
                return try await replica.database.leasing(body)
            } catch is DatabaseUnavailable {
                // The replica's pool is down or full: the primary answers instead.
            } catch {
                throw ConstraintViolations.translated(error)
            }
        }
        return try await withConnection(body)
    }

    /// `query`, through `reading`.
    public func readingQuery(_ query: PostgresQuery, logger: Logger? = nil, file: String = #fileID, line: Int = #line) async throws -> Rows
    {
        try await reading { connection in
            Rows(try await connection.run(query, logger: logger ?? Self.silent, file: file, line: line).collect())
        }
    }

    /// Runs the query and reads all its rows on a connection of its own.
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger? = nil, file: String = #fileID, line: Int = #line) async throws -> Rows {
        try await withConnection { connection in
            Rows(try await connection.run(query, logger: logger ?? Self.silent, file: file, line: line).collect())
        }
    }

    /// Runs `body` with a connection leased for its duration. The lease and `body` run in a
    /// task of their own, watched (`Watchdog`): when no connection came within
    /// `connectionWait`, the task is cancelled (the pool drops its request) and the caller
    /// gets `DatabaseUnavailable`.
    /// A violated constraint comes out as the domain error `ConstraintViolations` names.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await leasing(body)
        } catch {
            throw ConstraintViolations.translated(error)
        }
    }

    private func leasing<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        do {
            return try await leasingUnmetered { connection in
                meters.wait.recordNanoseconds((ContinuousClock.now - asked).saturating(per: 1_000_000_000))
                meters.inUse.increment()
                defer { meters.inUse.decrement() }
                return try await body(connection)
            }
        } catch let error as DatabaseUnavailable {
            meters.unavailable.increment()
            throw error
        }
    }

    private func leasingUnmetered<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            // `lease` is awaited below whatever happens, so `body` does not outlive this call.
            nonisolated(unsafe) let body = body
            let leased = LeaseFlag()
            // A task of its own, so that giving up on the wait cancels the lease and not the caller.
            let lease = Task {
                do {
                    return try await client.withConnection { connection in
                        leased.set()
                        // Cancelled work (a request past its deadline) closes its connection:
                        // the server rolls back what it began, and a query that would never
                        // answer (its server killed mid-statement) fails instead of holding
                        // the request and the lease for good.
                        return try await withTaskCancellationHandler {
                            try await body(connection)
                        } onCancel: {
                            Task { try? await connection.close() }
                        }
                    }
                } catch  where !leased.isSet {
                    // The pool's own failures (shut down, its circuit breaker open).
                    throw DatabaseUnavailable(reason: "\(error)")
                }
            }
            let ticket = watchdog.watch(for: connectionWait) { if !leased.isSet { lease.cancel() } }
            let result = await withTaskCancellationHandler {
                await lease.result
            } onCancel: {
                lease.cancel()
            }
            if watchdog.release(ticket), !leased.isSet {
                throw DatabaseUnavailable(reason: "no connection within \(connectionWait)")
            }
            return try result.get()
        }
    }

    /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws).
    public func withTransaction<T: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.runTransaction(logger: logger, body)
        }
    }

    static let silent = Logger(label: "yachaq.database", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// The database could not be reached in time: no connection within the wait, or the pool
/// is shutting down. Not the client's fault; worth a retry shortly.
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "database unavailable: \(reason)" }
}

/// Rows read in full, iterated like PostgresNIO's row sequence (`rows.decode(...)` works
/// the same on both).
public struct Rows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow
    public let rows: [PostgresRow]

    init(_ rows: [PostgresRow]) {
        self.rows = rows
    }

    public func collect() -> [PostgresRow] { rows }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        public mutating func next() async throws -> PostgresRow? { base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }
}

/// Whether the pool has handed the connection over (then the timer lets it be).
private final class LeaseFlag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// The pool as /metrics shows it: connections in use, how long a lease waited, and how
/// often none came in time (503). Made with the Database, after the metrics system starts.
final class PoolMeters: Sendable {
    let inUse: Meter
    let wait: Metrics.Timer
    let unavailable: Counter

    init(pool: String) {
        inUse = Meter(label: "yachaq_db_connections_in_use", dimensions: [("pool", pool)])
        wait = Metrics.Timer(label: "yachaq_db_connection_wait_seconds", dimensions: [("pool", pool)], preferredDisplayUnit: .seconds)
        unavailable = Counter(label: "yachaq_db_unavailable_total", dimensions: [("pool", pool)])
    }
}
