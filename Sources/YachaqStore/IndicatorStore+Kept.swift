import Foundation
import PostgresNIO
import Synchronization
import YachaqDomain

/// Figures slow to compute are kept and served from there: all of Peru reads a million
/// contracts and 2.4 million funding lines (about 3 s), which staff would otherwise wait
/// for on every visit. A scope is kept once computing it took `slowerThan`; a kept scope
/// is answered at once with its `as_of`, and recomputed in the background when older than
/// `refreshAfter` (one process at a time, by an advisory lock), and computed before the answer
/// once older than `answeredUpTo`. A fast scope — every scope
/// of a small registry, so every test but the one that sets these — is always computed.
extension IndicatorStore {
    public struct Keeping: Sendable {
        public var slowerThan: Duration
        public var refreshAfter: Duration
        /// Kept figures older than this (their recomputation failing, say) are not answered:
        /// the request computes them.
        public var answeredUpTo: Duration
        /// Scopes being recomputed by this process, so that a burst of visits starts one.
        let refreshing = Refreshing()

        public init(slowerThan: Duration = .seconds(1), refreshAfter: Duration = .seconds(60), answeredUpTo: Duration = .seconds(3600)) {
            self.slowerThan = slowerThan
            self.refreshAfter = refreshAfter
            self.answeredUpTo = answeredUpTo
        }
    }

    final class Refreshing: Sendable {
        private let keys = Mutex<Set<String>>([])
        func start(_ key: String) -> Bool { keys.withLock { $0.insert(key).inserted } }
        func end(_ key: String) { _ = keys.withLock { $0.remove(key) } }
    }

    /// The scope's figures: kept ones when the scope is slow, else computed now. 422 when the
    /// scope names no district.
    public func indicators(_ scope: IndicatorScope) async throws -> Indicators {
        let key = Self.key(scope)
        let kept = try await database.readingQuery(
            """
            SELECT indicators::text AS indicators, extract(epoch FROM now() - computed_at)::float8 AS age, took_ms
            FROM kept_indicators WHERE scope_key = \(key)
            """
        ).records { row in
            (
                text: try row.value("indicators", as: String.self), age: try row.value("age", as: Double.self),
                tookMs: try row.value("took_ms", as: Int.self)
            )
        }.first
        if let kept, Duration.milliseconds(kept.tookMs) >= keeping.slowerThan, Duration.seconds(kept.age) < keeping.answeredUpTo,
            let indicators = try? JSONCoding.decoder.decode(Indicators.self, from: Data(kept.text.utf8))
        {
            if Duration.seconds(kept.age) >= keeping.refreshAfter { refreshInBackground(scope, key: key) }
            return indicators
        }
        // Computed where reports are read (a replica, when there is one), kept on the primary.
        let clock = ContinuousClock(), start = clock.now
        let indicators = try await database.reading { try await Self.compute(scope, on: $0, logger: logger) }
        let took = clock.now - start
        if took >= keeping.slowerThan {
            try await database.withConnection { try await Self.keep(indicators, key: key, took: took, on: $0, logger: logger) }
        }
        return indicators
    }

    /// Computes the figures; keeps them when that took `slowerThan` or longer.
    static func computeAndKeep(
        _ scope: IndicatorScope, key: String, keeping: Keeping, on connection: PostgresConnection, logger: Logger
    ) async throws -> Indicators {
        let clock = ContinuousClock(), start = clock.now
        let indicators = try await compute(scope, on: connection, logger: logger)
        let took = clock.now - start
        if took >= keeping.slowerThan { try await keep(indicators, key: key, took: took, on: connection, logger: logger) }
        return indicators
    }

    /// Stores figures that took `took` to compute, for later requests of the same scope.
    static func keep(_ indicators: Indicators, key: String, took: Duration, on connection: PostgresConnection, logger: Logger) async throws
    {
        let text = String(decoding: try JSONCoding.encoder.encode(indicators), as: UTF8.self)
        let milliseconds = Int(took / .milliseconds(1))
        try await connection.execute(
            """
            INSERT INTO kept_indicators (scope_key, indicators, computed_at, took_ms)
            VALUES (\(key), \(text)::jsonb, \(indicators.asOf), \(milliseconds))
            ON CONFLICT (scope_key) DO UPDATE
            SET indicators = excluded.indicators, computed_at = excluded.computed_at, took_ms = excluded.took_ms
            """, logger: logger)
    }

    /// Recomputes a kept scope off the request, with a statement timeout long enough for it;
    /// a process that finds another recomputing it (the advisory lock) leaves it be.
    private func refreshInBackground(_ scope: IndicatorScope, key: String) {
        guard keeping.refreshing.start(key) else { return }
        Task.detached { [database, keeping, logger] in
            defer { keeping.refreshing.end(key) }
            do {
                try await database.withTransaction(logger: logger) { connection in
                    let locked = try await connection.run(
                        "SELECT pg_try_advisory_xact_lock(hashtext('kept_indicators:' || \(key))) AS locked", logger: logger
                    ).record { try $0.value("locked", as: Bool.self) }
                    guard locked else { return }
                    try await connection.execute("SET LOCAL statement_timeout = '120s'", logger: logger)
                    _ = try await Self.computeAndKeep(scope, key: key, keeping: keeping, on: connection, logger: logger)
                }
            } catch {
                logger.warning("kept indicators not recomputed", metadata: ["scope": "\(key)", "error": "\(error)"])
            }
        }
    }

    /// The scope as one text: the same scope, the same key.
    static func key(_ scope: IndicatorScope) -> String {
        [scope.department, scope.province, scope.district, scope.from, scope.to].map { $0 ?? "" }.joined(separator: "|")
    }
}
