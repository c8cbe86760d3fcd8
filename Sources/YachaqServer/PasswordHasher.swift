import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt, slow on purpose, off the cooperative pool, with admission control: at most
/// `Limits.total` checks run or wait at once, and at most `Limits.perClient` from one
/// client address. A flood of sign-ins is refused at once (429, `Busy`) rather than queued,
/// so one address sending 64 bogus sign-ins cannot make everybody else's take seconds.
public final class PasswordHasher: Sendable {
    public struct Limits: Sendable {
        public var total: Int
        public var perClient: Int
        public init(total: Int = 8, perClient: Int = 2) {
            self.total = total
            self.perClient = perClient
        }
    }

    /// Too many password checks at once, in all or from this client.
    public struct Busy: Error {}

    /// bcrypt's work factor: 2^12 rounds.
    public static let cost: UInt8 = 12

    /// Whether a password matches a hash.
    public typealias Check = @Sendable (_ password: String, _ hash: String) async throws -> Bool

    /// bcrypt, on NIO's thread pool: a check takes a quarter of a second of a core.
    public static let bcrypt: Check = { password, hash in
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    private let limits: Limits
    private let check: Check
    private let admitted = Mutex<(total: Int, byClient: [String: Int])>((0, [:]))

    /// `check` is bcrypt but in tests that hold checks in flight to fill the limits on purpose.
    public init(limits: Limits = .init(), check: @escaping Check = PasswordHasher.bcrypt) {
        self.limits = limits
        self.check = check
    }

    /// Whether `password` matches `hash`. Passwords bcrypt would read only in part (a NUL
    /// byte, past 72 bytes) never match: no stored password can contain them.
    public func verify(_ password: String, hash: String, client: String) async throws -> Bool {
        try await admitting(client) { try await check(password, hash) } && Self.isWhole(password)
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

    private func admitting<T: Sendable>(_ client: String, _ work: () async throws -> T) async throws -> T {
        let admitted = self.admitted.withLock { state in
            guard state.total < limits.total, state.byClient[client, default: 0] < limits.perClient else { return false }
            state.total += 1
            state.byClient[client, default: 0] += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer {
            self.admitted.withLock { state in
                state.total -= 1
                let left = state.byClient[client, default: 1] - 1
                state.byClient[client] = left == 0 ? nil : left
            }
        }
        return try await work()
    }
}
