import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// A streaming replica (`DATABASE_READ_URL`) that serves the heavy reads (search, matching,
/// reports, exports) while it is current enough, and the rule that keeps users reading their
/// own writes.
///
/// How current it is, exactly: every `pollEvery` the primary's WAL position is noted with
/// the time, then the replica's replayed position is read. Once the replica has replayed a
/// position noted at time `t`, every transaction committed before `t` is visible there
/// (`caughtUpTo`). A request whose user last wrote at `w` reads from the replica only if
/// `w + margin < caughtUpTo` (`margin` covers clocks of other processes, whose writes come
/// as a cookie); one without writes reads there while `caughtUpTo` is within `maxLag`. A
/// replica that fails a round is left alone until it answers again, and a read that fails to
/// get a replica connection goes to the primary.
public final class ReadReplica: Service, Sendable {
    public let client: PostgresClient
    /// The replica's pool as the stores lease it (`pool="replica"` on /metrics).
    let database: Database
    private let primary: Database
    private let pollEvery: Duration
    private let maxLag: Duration
    private let margin: Duration
    private let logger: Logger
    private let state = Mutex(State())
    private let lag = Gauge(label: "yachaq_read_replica_lag_seconds")
    private let up = Gauge(label: "yachaq_read_replica_up")

    struct State {
        /// Primary positions not yet replayed, oldest first, with when they were noted.
        var noted: [(at: Date, position: Int64)] = []
        var caughtUpTo: Date?
        var failing = false
    }

    public init(
        client: PostgresClient, primary: Database, pollEvery: Duration = .milliseconds(100), maxLag: Duration = .seconds(5),
        margin: Duration = .milliseconds(500), logger: Logger
    ) {
        self.client = client
        database = Database(client, connectionWait: primary.connectionWait, pool: "replica")
        self.primary = primary
        self.pollEvery = pollEvery
        self.maxLag = maxLag
        self.margin = margin
        self.logger = logger
    }

    /// Whether a read for a user who last wrote at `writtenAt` (nil: not lately) may go here.
    public func serves(writtenAt: Date?, now: Date = Date()) -> Bool {
        guard let caughtUpTo = state.withLock({ $0.caughtUpTo }), now.timeIntervalSince(caughtUpTo) <= maxLag / .seconds(1) else {
            return false
        }
        guard let writtenAt else { return true }
        return writtenAt.addingTimeInterval(margin / .seconds(1)) < caughtUpTo
    }

    /// Everything committed on the primary before this time is visible on the replica.
    public var caughtUpTo: Date? { state.withLock { $0.caughtUpTo } }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.poll()
                try? await sleepCancellably(for: self.pollEvery)
            }
        }
    }

    /// One round: note the primary's position, then see how far the replica has replayed.
    func poll() async {
        do {
            let noted = Date()
            let position =
                try await primary.query("SELECT (pg_current_wal_lsn() - '0/0')::int8 AS position", logger: Self.quiet)
                .collect().first?.decode(Int64.self) ?? 0
            state.withLock { state in
                state.noted.append((noted, position))
                if state.noted.count > 1000 { state.noted.removeFirst(state.noted.count - 1000) }
            }
            // A server that is not a standby (the primary itself, in a small setup) is current.
            let replayed =
                try await database.query(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_replay_lsn() - '0/0')::int8 ELSE 9223372036854775807 END",
                    logger: Self.quiet
                ).collect().first?.decode(Int64?.self) ?? nil
            let wasFailing = state.withLock { state in
                if let replayed, let last = state.noted.lastIndex(where: { $0.position <= replayed }) {
                    state.caughtUpTo = state.noted[last].at
                    state.noted.removeFirst(last + 1)
                }
                defer { state.failing = false }
                return state.failing
            }
            if wasFailing { logger.notice("the read replica answers again") }
            up.record(1)
            if let caughtUpTo = self.caughtUpTo { lag.record(max(0, Date().timeIntervalSince(caughtUpTo))) }
        } catch {
            // Not answering now says nothing of how far it has replayed: leave it until it answers.
            let first = state.withLock { state in
                defer {
                    state.failing = true
                    state.caughtUpTo = nil
                }
                return !state.failing
            }
            up.record(0)
            if first {
                logger.warning("the read replica or the primary does not answer; reads go to the primary", metadata: ["error": "\(error)"])
            }
        }
    }

    static let quiet = Logger(label: "yachaq.replica", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// When the user behind the current request last wrote (nil: not lately, or anonymous), set
/// by the HTTP layer for the request's task; `Database.reading` consults it.
public enum ReadYourWrites {
    @TaskLocal public static var writtenAt: Date?
}
