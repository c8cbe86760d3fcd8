import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import YachaqDomain

/// Who each recently used token signs in, so that a request with a token costs no database
/// round trip (it cost 0.4 ms, half of a single-row read).
///
/// A sign-in must stop working the moment it is revoked, in every process serving the
/// registry. So the cache is trusted only while `SignInListener` listens on the database:
/// triggers (`SQL/0015`) notify `yachaq_sign_ins` after any change to sessions, users or an
/// organisation's `disabled_at`, and the listener forgets everything. The process that makes
/// such a change forgets at once too (`forgetAll` after its commit), so it never answers from
/// before its own write; others forget when the notification arrives, milliseconds after the
/// commit. Without a listener (the connection lost, or a router built without one) every
/// token is looked up. Entries also end after `lifetime` and at the session's own expiry.
public final class SignInCache: Sendable {
    public typealias SignedIn = (identity: Identity, login: String, language: String)
    public static let channel = "yachaq_sign_ins"

    struct Entry {
        var signedIn: SignedIn
        var validUntil: Date
    }

    struct State {
        var listening = false
        /// Moves on every `forgetAll`: a lookup that began before it must not store what it read.
        var generation = 0
        var entries: [Data: Entry] = [:]
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let state = Mutex(State())

    public init(lifetime: Duration = .seconds(10), capacity: Int = 50_000) {
        self.lifetime = Double(lifetime.components.seconds)
        self.capacity = capacity
    }

    /// The remembered sign-in of a token hash, and the generation to pass to `remember`.
    func lookup(_ key: Data, now: Date = Date()) -> (signedIn: SignedIn?, generation: Int?) {
        state.withLock { state in
            guard state.listening else { return (nil, nil) }
            guard let entry = state.entries[key], entry.validUntil > now else { return (nil, state.generation) }
            return (entry.signedIn, state.generation)
        }
    }

    func remember(_ key: Data, _ signedIn: SignedIn, sessionExpiresAt: Date, generation: Int) {
        state.withLock { state in
            guard state.listening, state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(signedIn: signedIn, validUntil: min(sessionExpiresAt, Date() + lifetime))
        }
    }

    /// Forgets every sign-in: some session, user or organisation changed.
    public func forgetAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    /// Whether changes made elsewhere are being heard; nothing is remembered while they are not.
    public func setListening(_ listening: Bool) {
        state.withLock { state in
            state.listening = listening
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    public var isListening: Bool { state.withLock { $0.listening } }
}

extension Optional where Wrapped == SignInCache {
    /// After a committed change to who a token signs in.
    func forgetAll() { self?.forgetAll() }
}

/// Listens for `SignInCache.channel` on a connection of its own (not the pool's: a request
/// may use every pooled connection) for as long as the service runs, and makes the cache
/// forget on every notification. While it is not listening (the database unreachable,
/// before the first connection) the cache is not trusted. It stops at graceful shutdown.
public struct SignInListener: Service {
    let configuration: PostgresConnection.Configuration
    let cache: SignInCache
    let logger: Logger

    public init(configuration: PostgresConnection.Configuration, cache: SignInCache, logger: Logger) {
        self.configuration = configuration
        self.cache = cache
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                    defer { Task { try? await connection.close() } }
                    try await connection.listen(on: SignInCache.channel) { notifications in
                        cache.setListening(true)
                        for try await _ in notifications { cache.forgetAll() }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.warning("sign-in notifications lost; every token is looked up", metadata: ["error": "\(error)"])
                    }
                }
                cache.setListening(false)
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
