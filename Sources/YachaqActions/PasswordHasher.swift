import HummingbirdBcrypt
import NIOPosix

/// bcrypt, slow on purpose, off the cooperative pool, with admission control
/// (`SignInAdmission`): a few checks run at once, a few sign-ins wait for one in a queue
/// that serves the addresses that asked least lately first, and a flood past that is
/// refused at once (429), leaving room for the sign-ins of everybody else.
public final class PasswordHasher: Sendable {
    /// Password checks at once (in all, from one address, and kept for addresses without
    /// recent failures), sign-ins waiting for one and for how long, and failed checks from one
    /// address a minute and in one burst. By default 4 at once, for the 2 threads of NIO's pool
    /// on 2 cores, so that a check takes about half a second; 16 waiting, at most 2 s, which the
    /// order of the queue keeps for floods (a person's sign-in is served next); from one address
    /// 5 failures at once, then one every 6 s: a person mistyping needs no more, and a flood
    /// soon gets no check at all.
    public struct Limits: Sendable {
        public var total: Int
        public var perClient: Int
        public var reserve: Int
        public var waiting: Int
        public var maxWait: Duration
        public var perMinute: Int
        public var burst: Int
        public init(
            total: Int = 4, perClient: Int = 2, reserve: Int = 2, waiting: Int = 16, maxWait: Duration = .seconds(2),
            perMinute: Int = 10, burst: Int = 5
        ) {
            self.total = max(1, total)
            self.perClient = max(1, perClient)
            self.reserve = min(max(0, reserve), self.total - 1)
            self.waiting = max(0, waiting)
            self.maxWait = max(.zero, maxWait)
            self.perMinute = max(1, perMinute)
            self.burst = max(1, burst)
        }
    }

    /// bcrypt's work factor: 2^12 rounds.
    public static let cost: UInt8 = 12

    /// Whether a password matches a hash.
    public typealias Check = @Sendable (_ password: String, _ hash: String) async throws -> Bool

    /// bcrypt, on NIO's thread pool: a check takes a quarter of a second of a core.
    public static let bcrypt: Check = { password, hash in
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    private let admission: SignInAdmission
    private let check: Check

    /// `check` is bcrypt, and `now` the clock, but in tests that hold checks in flight or set
    /// the time to fill the limits on purpose.
    public init(
        limits: Limits = .init(), check: @escaping Check = PasswordHasher.bcrypt,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        admission = SignInAdmission(limits: limits, now: now)
        self.check = check
    }

    /// Runs `body` once a password check from `client` (an address) may start, else throws
    /// `SignInAdmission.Refusal` before anything else is done for that sign-in (no database
    /// round trip for a flood). `body` checks passwords with the `Verifier` it is
    /// given; one that does not match counts as a failure of this address.
    func admitting<T>(_ client: String, _ body: (Verifier) async throws -> T) async throws -> T {
        try await admission.admit(client)
        let verifier = Verifier(check: check)
        defer { admission.release(client, failed: verifier.failed) }
        return try await body(verifier)
    }

    /// Checks passwords for one admitted sign-in.
    public final class Verifier {
        private let check: Check
        fileprivate private(set) var failed = false

        fileprivate init(check: @escaping Check) {
            self.check = check
        }

        /// Whether `password` matches `hash`. Passwords bcrypt would read only in part (a NUL
        /// byte, past 72 bytes) never match: no stored password can contain them.
        public func verify(_ password: String, hash: String) async throws -> Bool {
            let matched = try await check(password, hash) && PasswordHasher.isWhole(password)
            if !matched { failed = true }
            return matched
        }
    }

    /// A new hash, unthrottled (staff create accounts one at a time); callers have refused
    /// passwords that are not `isWhole` already.
    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// True when bcrypt reads the whole password: no NUL byte, at most 72 bytes.
    public static func isWhole(_ password: String) -> Bool {
        password.utf8.count <= 72 && !password.utf8.contains(0)
    }

    /// Compared against when the login does not exist, so that the answer takes as long
    /// as for a wrong password and does not tell which logins exist.
    static let decoyHash = Bcrypt.hash("decoy password that matches nothing", cost: cost)
}
