import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The connection pool as every store uses it, with the two guarantees PostgresNIO's
/// `PostgresClient` lacks on its own:
///
/// - **A bounded wait for a connection.** With the database gone, the pool queues leases
///   until its circuit breaker trips (about a minute); here a lease that has waited
///   `connectionWait` fails with `DatabaseUnavailable`, which the HTTP layer answers 503.
/// - **No leaked connection.** `PostgresClient.query` hands back a lazy row stream and
///   returns its connection when the stream finishes; in postgres-nio 1.33.2 a stream whose
///   error arrived before it was first iterated never calls that `onFinish`
///   (`PSQLRowStream.asyncSequence`, `.failure` case), so a conflicting INSERT … RETURNING
///   under concurrency kept its connection for good (about 1 in 150 conflicts). Here a query
///   runs on a connection leased for the closure and its rows are read before the lease
///   ends, whatever happens.
public struct Database: Sendable {
    public let client: PostgresClient
    /// How long a caller waits for a free connection before being told the database is
    /// unavailable.
    public var connectionWait: Duration

    public init(_ client: PostgresClient, connectionWait: Duration = .seconds(1)) {
        self.client = client
        self.connectionWait = connectionWait
    }

    /// Runs the query and reads all its rows on a connection of its own.
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger? = nil, file: String = #fileID, line: Int = #line) async throws -> Rows {
        try await withConnection { connection in
            Rows(try await connection.query(query, logger: logger ?? Self.silent, file: file, line: line).collect())
        }
    }

    /// Runs `body` with a connection leased for its duration.
    public func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let lease = try await Lease.acquire(from: client, waitingAtMost: connectionWait)
        defer { lease.release() }
        return try await body(lease.connection)
    }

    /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws).
    public func withTransaction<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { try await body($0) }
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

/// A connection leased by a helper task on the caller's behalf, so that the wait for it
/// can be given up after a deadline (or when the caller is cancelled) without touching
/// the caller's task. The helper holds the lease until `release()`.
private final class Lease: Sendable {
    let connection: PostgresConnection
    private let released: AsyncStream<Never>.Continuation

    private init(connection: PostgresConnection, released: AsyncStream<Never>.Continuation) {
        self.connection = connection
        self.released = released
    }

    func release() { released.finish() }

    static func acquire(from client: PostgresClient, waitingAtMost wait: Duration) async throws -> Lease {
        let outcome = Outcome()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                outcome.start(continuation)
                let holder = Task {
                    let (stream, released) = AsyncStream<Never>.makeStream()
                    do {
                        try await client.withConnection { connection in
                            // Too late (the caller gave up): the connection goes straight back.
                            guard outcome.finish(.success(Lease(connection: connection, released: released))) else { return }
                            for await _ in stream {}
                        }
                    } catch {
                        outcome.finish(.failure(DatabaseUnavailable(reason: "\(error)")))
                    }
                }
                let timer = Task {
                    try await Task.sleep(for: wait)
                    if outcome.finish(.failure(DatabaseUnavailable(reason: "no connection within \(wait)"))) { holder.cancel() }
                }
                outcome.onFinish { timer.cancel() }
                outcome.onCancel { holder.cancel() }
            }
        } onCancel: {
            outcome.cancel()
        }
    }

    /// Resumes the caller exactly once, with whichever comes first: the connection, the
    /// deadline, a failure or the caller's cancellation.
    private final class Outcome: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Lease, any Error>?
            var finished = false
            var cancelled = false
            var onFinish: [@Sendable () -> Void] = []
            var onCancel: [@Sendable () -> Void] = []
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<Lease, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        /// True when this result reached the caller.
        @discardableResult
        func finish(_ result: Result<Lease, any Error>) -> Bool {
            let (continuation, actions) = state.withLock { state -> (CheckedContinuation<Lease, any Error>?, [@Sendable () -> Void]) in
                guard !state.finished, let continuation = state.continuation else { return (nil, []) }
                state.finished = true
                state.continuation = nil
                return (continuation, state.onFinish)
            }
            guard let continuation else { return false }
            actions.forEach { $0() }
            continuation.resume(with: result)
            return true
        }

        func onFinish(_ action: @escaping @Sendable () -> Void) {
            let now = state.withLock { state in
                if !state.finished { state.onFinish.append(action) }
                return state.finished
            }
            if now { action() }
        }

        func onCancel(_ action: @escaping @Sendable () -> Void) {
            let now = state.withLock { state in
                state.onCancel.append(action)
                return state.cancelled
            }
            if now { action() }
        }

        func cancel() {
            let actions = state.withLock { state in
                state.cancelled = true
                return state.onCancel
            }
            actions.forEach { $0() }
            finish(.failure(CancellationError()))
        }
    }
}
