import Synchronization

/// Who may start a password check now. A check (bcrypt) takes a quarter of a second of a core
/// on purpose, so only a few run at once, and a flood of sign-ins must not take them all:
///
/// - at most `perClient` checks at once from one address: a flooding address waits behind
///   itself (its next sign-in is refused, 429, while its own are running);
/// - at most `total` at once, the last `reserve` of them only for addresses without a failed
///   check in the last 15 minutes: floods fail (random logins, guessed passwords), so a few
///   flooding addresses soon leave room for everyone else;
/// - at most `perMinute` failed checks a minute from one address, `burst` at once (a bucket
///   refilled as time passes; a check takes a token, and one that matches gives it back, so
///   that people signing in behind one carrier address never run it dry): past that a
///   sign-in is refused before bcrypt runs, at no cost.
///
/// Everything is in this process's memory: a flood is seen by the process it reaches.
final class SignInAdmission: Sendable {
    /// Why a check may not start, and when to try again.
    enum Refusal: Error, Equatable {
        /// Too many checks at once, in all or from this address: try again in a second.
        case busy
        /// Too many failed checks from this address lately.
        case overRate(retryAfterSeconds: Int)

        var retryAfterSeconds: Int {
            switch self {
            case .busy: 1
            case .overRate(let seconds): seconds
            }
        }
    }

    struct Client {
        var running = 0
        var lastFailure: ContinuousClock.Instant?
        var tokens: Double
        var refilled: ContinuousClock.Instant
    }

    let limits: PasswordHasher.Limits
    /// The time (a test's own, in tests of the rate).
    let clock: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex<(running: Int, clients: [String: Client])>((0, [:]))
    /// How long a failed check marks its address as failing.
    static let failureMemory: Duration = .seconds(15 * 60)
    /// Addresses remembered at most; past that the quiet ones are forgotten.
    static let capacity = 100_000

    init(limits: PasswordHasher.Limits, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.limits = limits
        clock = now
    }

    /// Counts a check from `address` as running, or says why it may not start.
    func admit(_ address: String) throws(Refusal) {
        let now = clock()
        try state.withLock { (state) throws(Refusal) in
            if state.clients.count >= Self.capacity { Self.forgetQuiet(&state.clients, now: now) }
            var client = state.clients[address] ?? Client(tokens: Double(limits.burst), refilled: now)
            client.tokens = min(Double(limits.burst), client.tokens + Double(limits.perMinute) * (now - client.refilled).minutes)
            client.refilled = now
            defer { state.clients[address] = client }
            guard client.tokens >= 1 else {
                let wait = (1 - client.tokens) / Double(limits.perMinute) * 60
                throw .overRate(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            let failing = client.lastFailure.map { now - $0 < Self.failureMemory } ?? false
            let room = failing ? limits.total - limits.reserve : limits.total
            guard client.running < limits.perClient, state.running < room else { throw .busy }
            client.tokens -= 1
            client.running += 1
            state.running += 1
        }
    }

    /// A check `admit` counted has ended; `failed` when the password did not match, else its
    /// token goes back.
    func release(_ address: String, failed: Bool) {
        let now = clock()
        state.withLock { state in
            state.running -= 1
            guard var client = state.clients[address] else { return }
            client.running -= 1
            if failed {
                client.lastFailure = now
            } else {
                client.tokens = min(Double(limits.burst), client.tokens + 1)
            }
            state.clients[address] = client
        }
    }

    /// Drops addresses with nothing running, no recent failure and nothing taken from their
    /// bucket for a minute: they would be made anew as they are. When that is not enough (a
    /// crowd of addresses), all but the running ones go, so that this stays rare.
    private static func forgetQuiet(_ clients: inout [String: Client], now: ContinuousClock.Instant) {
        clients = clients.filter { _, client in
            client.running > 0 || client.lastFailure.map { now - $0 < failureMemory } ?? false || now - client.refilled < .seconds(60)
        }
        if clients.count >= capacity / 2 { clients = clients.filter { $0.value.running > 0 } }
    }
}

extension Duration {
    fileprivate var minutes: Double { Double(components.seconds) / 60 + Double(components.attoseconds) / 6e19 }
}
