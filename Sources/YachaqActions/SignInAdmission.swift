import Synchronization

/// Who may start a password check now, and who waits for one. A check (bcrypt) takes a
/// quarter of a second of a core on purpose, so only a few run at once, and a flood of
/// sign-ins must not take them all:
///
/// - at most `perClient` checks at once from one address, and `perClient` more waiting;
/// - at most `total` at once, the last `reserve` of them only for addresses without a failed
///   check in the last 15 minutes: floods fail (random logins, guessed passwords);
/// - a sign-in that finds no place waits, at most `maxWait`, in a queue of `waiting`. When a
///   place frees, it goes to the waiter whose address has asked least lately (its bucket, below,
///   is fullest), failing addresses last: a flooding address waits behind itself and behind
///   everyone else, and a person's first try is served next. A full queue takes a newcomer only
///   in place of a waiter that would be served after it, who is refused instead;
/// - at most `perMinute` failed checks a minute from one address, `burst` at once (a bucket
///   refilled as time passes; a check takes a token, and one that matches gives it back, so
///   that people signing in behind one carrier address never run it dry): past that a
///   sign-in is refused before bcrypt runs, at no cost.
///
/// Everything is in this process's memory: a flood is seen by the process it reaches.
final class SignInAdmission: Sendable {
    /// Why a check may not start, and when to try again.
    enum Refusal: Error, Equatable {
        /// Too many checks running and waiting, in all or from this address: try again in a second.
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
        var waiting = 0
        var lastFailure: ContinuousClock.Instant?
        var tokens: Double
        var refilled: ContinuousClock.Instant
    }

    /// A sign-in waiting for a place; `turn` orders waiters of equal standing by arrival.
    struct Waiter {
        let address: String
        let turn: UInt64
        let continuation: CheckedContinuation<Result<Void, Refusal>, Never>
        let timer: Task<Void, Never>
    }

    struct State {
        var running = 0
        var clients: [String: Client] = [:]
        /// At most `limits.waiting`, so a scan of them all is cheap.
        var waiters: [UInt64: Waiter] = [:]
        var turns: UInt64 = 0
    }

    let limits: PasswordHasher.Limits
    /// The time (a test's own, in tests of the rate).
    let clock: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())
    /// How long a failed check marks its address as failing.
    static let failureMemory: Duration = .seconds(15 * 60)
    /// Addresses remembered at most; past that the quiet ones are forgotten.
    static let capacity = 100_000

    init(limits: PasswordHasher.Limits, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.limits = limits
        clock = now
    }

    /// Counts a check from `address` as running, at once or after a wait, or says why it may not.
    func admit(_ address: String) async throws(Refusal) {
        let turn = state.withLock { state in
            state.turns += 1
            return state.turns
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let outcome = state.withLock { state in
                    enter(address, turn: turn, continuation: continuation, &state)
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            leaveQueue(turn)
        }
        try result.get()
    }

    /// A check `admit` counted has ended; `failed` when the password did not match, else its
    /// token goes back. Its place goes to the first waiter in line.
    func release(_ address: String, failed: Bool) {
        let now = clock()
        let admitted = state.withLock { state in
            state.running -= 1
            if var client = state.clients[address] {
                client.running -= 1
                if failed {
                    client.lastFailure = now
                } else {
                    client.tokens = min(Double(limits.burst), client.tokens + 1)
                }
                state.clients[address] = client
            }
            return admitWaiters(&state, now: now)
        }
        for waiter in admitted {
            waiter.timer.cancel()
            waiter.continuation.resume(returning: .success(()))
        }
    }

    /// Sign-ins waiting now (for tests).
    var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Runs, queues or refuses a newcomer: the outcome when known now, nil when it waits.
    private func enter(
        _ address: String, turn: UInt64, continuation: CheckedContinuation<Result<Void, Refusal>, Never>, _ state: inout State
    ) -> Result<Void, Refusal>? {
        // Checked under the lock that `leaveQueue` takes, so a cancellation is never missed.
        if Task.isCancelled { return .failure(.busy) }
        let now = clock()
        if state.clients.count >= Self.capacity { Self.forgetQuiet(&state.clients, now: now) }
        var client = state.clients[address] ?? Client(tokens: Double(limits.burst), refilled: now)
        client.tokens = min(Double(limits.burst), client.tokens + Double(limits.perMinute) * (now - client.refilled).minutes)
        client.refilled = now
        state.clients[address] = client
        guard client.tokens >= 1 else {
            let wait = (1 - client.tokens) / Double(limits.perMinute) * 60
            return .failure(.overRate(retryAfterSeconds: max(1, Int(wait.rounded(.up)))))
        }
        client.tokens -= 1
        if client.running < limits.perClient, state.running < room(for: client, now: now) {
            client.running += 1
            state.clients[address] = client
            state.running += 1
            return .success(())
        }
        guard client.waiting < limits.perClient, limits.waiting > 0 else { return .failure(.busy) }
        if state.waiters.count >= limits.waiting {
            // The last in line leaves only for a newcomer who would be served before it (never
            // one of the newcomer's own address: those came earlier with a fuller bucket).
            guard let last = state.waiters.values.max(by: { precedes($0, $1, state, now: now) }),
                precedes(address, client, turn, before: last, state, now: now)
            else { return .failure(.busy) }
            unqueue(last, &state)
            last.continuation.resume(returning: .failure(.busy))
        }
        client.waiting += 1
        state.clients[address] = client
        let maxWait = limits.maxWait
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: maxWait)) != nil else { return }
            self?.leaveQueue(turn)
        }
        state.waiters[turn] = Waiter(address: address, turn: turn, continuation: continuation, timer: timer)
        return nil
    }

    /// A waiter that gave up (cancelled) or waited `maxWait` is refused, if it is still waiting.
    private func leaveQueue(_ turn: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiters[turn] else { return nil }
            unqueue(waiter, &state)
            return waiter
        }
        waiter?.continuation.resume(returning: .failure(.busy))
    }

    /// Takes a waiter that will not be checked out of the queue; its token goes back.
    private func unqueue(_ waiter: Waiter, _ state: inout State) {
        state.waiters[waiter.turn] = nil
        state.clients[waiter.address]?.waiting -= 1
        if let tokens = state.clients[waiter.address]?.tokens {
            state.clients[waiter.address]?.tokens = min(Double(limits.burst), tokens + 1)
        }
        waiter.timer.cancel()
    }

    /// Gives free places to waiters, best first, while there are places they may take.
    private func admitWaiters(_ state: inout State, now: ContinuousClock.Instant) -> [Waiter] {
        var admitted: [Waiter] = []
        while true {
            let eligible = state.waiters.values.filter { waiter in
                guard let client = state.clients[waiter.address] else { return false }
                return client.running < limits.perClient && state.running < room(for: client, now: now)
            }
            guard let next = eligible.min(by: { precedes($0, $1, state, now: now) }) else { return admitted }
            state.waiters[next.turn] = nil
            state.clients[next.address]?.waiting -= 1
            state.clients[next.address]?.running += 1
            state.running += 1
            admitted.append(next)
        }
    }

    /// Places an address may fill: all but the reserve when it failed lately.
    private func room(for client: Client, now: ContinuousClock.Instant) -> Int {
        isFailing(client, now: now) ? limits.total - limits.reserve : limits.total
    }

    private func isFailing(_ client: Client, now: ContinuousClock.Instant) -> Bool {
        client.lastFailure.map { now - $0 < Self.failureMemory } ?? false
    }

    /// Whether waiter `a` is served before waiter `b`.
    private func precedes(_ a: Waiter, _ b: Waiter, _ state: State, now: ContinuousClock.Instant) -> Bool {
        guard let client = state.clients[a.address] else { return false }
        return precedes(a.address, client, a.turn, before: b, state, now: now)
    }

    /// Whether a sign-in from `address` (its `client` record) on `turn` is served before
    /// `other`: an address without recent failures first, then the fuller bucket, then arrival.
    private func precedes(
        _ address: String, _ client: Client, _ turn: UInt64, before other: Waiter, _ state: State, now: ContinuousClock.Instant
    ) -> Bool {
        guard let otherClient = state.clients[other.address] else { return true }
        let standing = (isFailing(client, now: now) ? 1 : 0, -client.tokens, turn)
        let otherStanding = (isFailing(otherClient, now: now) ? 1 : 0, -otherClient.tokens, other.turn)
        return standing < otherStanding
    }

    /// Drops addresses with nothing running or waiting, no recent failure and nothing taken
    /// from their bucket for a minute: they would be made anew as they are. When that is not
    /// enough (a crowd of addresses), all but the busy ones go, so that this stays rare.
    private static func forgetQuiet(_ clients: inout [String: Client], now: ContinuousClock.Instant) {
        clients = clients.filter { _, client in
            client.running > 0 || client.waiting > 0 || client.lastFailure.map { now - $0 < failureMemory } ?? false
                || now - client.refilled < .seconds(60)
        }
        if clients.count >= capacity / 2 { clients = clients.filter { $0.value.running > 0 || $0.value.waiting > 0 } }
    }
}

extension Duration {
    fileprivate var minutes: Double { Double(components.seconds) / 60 + Double(components.attoseconds) / 6e19 }
}
