import Foundation
import YachaqDomain
import YachaqStore

/// A sign-in with a login and a password, the same for a bearer token (the API) and a session
/// cookie (the pages): the same answer, and about the same time, for an unknown login and a
/// wrong password. Failures are counted per login and client address, so that a stranger
/// failing with somebody's login blocks only their own address.
public struct SignIn: Sendable {
    let users: UserStore
    let sessions: SessionStore
    let hasher: PasswordHasher
    public let sessionLifetime: Duration

    /// A new session: its token (shown once) and the user it signs in.
    public struct Session: Sendable {
        public let token: String
        public let expiresAt: Date
        public let user: User
    }

    /// Why a sign-in is refused; each door words it its own way (401 or 429, a line on the form).
    public enum Refusal: Error, Equatable {
        case wrongCredentials
        /// Too many failed sign-ins for this login from this address (the database's count).
        case tooManyAttempts(retryAfterSeconds: Int)
        /// Too many password checks at once, or from this address lately (this process's count).
        case busy(retryAfterSeconds: Int)
        case addressOverRate(retryAfterSeconds: Int)

        public var retryAfterSeconds: Int? {
            switch self {
            case .wrongCredentials: nil
            case .tooManyAttempts(let seconds), .busy(let seconds), .addressOverRate(let seconds): seconds
            }
        }
    }

    /// `client` is the caller's address (behind a trusted proxy, the one it names).
    public func callAsFunction(login: String, password: String, from client: String) async throws -> Session {
        // A login no account can have is wrong at once: saying so tells nothing (the format
        // is public), and it costs neither a password check nor a throttle row.
        guard NewUser.isPossibleLogin(NewUser.normalizedLogin(login)) else { throw Refusal.wrongCredentials }
        do {
            return try await hasher.admitting(client) { verifier in
                if let until = try await sessions.blockedUntil(login: login, client: client) { throw Self.tooMany(until) }
                let account = try await users.credentials(login: login)
                let matches = try await verifier.verify(password, hash: account?.passwordHash ?? PasswordHasher.decoyHash)
                guard let account, matches else {
                    if let until = try await sessions.recordFailure(login: login, client: client) { throw Self.tooMany(until) }
                    throw Refusal.wrongCredentials
                }
                try await sessions.clearFailures(login: login, client: client)
                let session = try await sessions.create(userID: account.user.id, lifetime: sessionLifetime)
                return Session(token: session.token, expiresAt: session.expiresAt, user: account.user)
            }
        } catch let refusal as SignInAdmission.Refusal {
            switch refusal {
            case .busy: throw Refusal.busy(retryAfterSeconds: refusal.retryAfterSeconds)
            case .overRate: throw Refusal.addressOverRate(retryAfterSeconds: refusal.retryAfterSeconds)
            }
        }
    }

    private static func tooMany(_ until: Date) -> Refusal {
        .tooManyAttempts(retryAfterSeconds: max(1, Int(until.timeIntervalSinceNow.rounded(.up))))
    }
}

/// Who a token signs in: a bearer token (the API) or a session cookie (the pages).
public struct ReadSession: Sendable {
    let sessions: SessionStore

    /// The caller behind a bearer token, if it is known, unexpired and not revoked.
    public func identity(token: String) async throws -> Identity? {
        try await sessions.identity(token: token)
    }

    /// The same, with what a page shows of the user: the login and the language chosen last.
    public func signedIn(token: String) async throws -> SignInCache.SignedIn? {
        try await sessions.signedIn(token: token)
    }
}

/// Ends the session of a token (audited); signing out twice is not an error.
public struct SignOut: Sendable {
    let sessions: SessionStore

    public func callAsFunction(token: String) async throws {
        try await sessions.revoke(token: token)
    }
}
