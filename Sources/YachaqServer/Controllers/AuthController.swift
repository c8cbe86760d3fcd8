import Foundation
import Hummingbird
import YachaqDomain
import YachaqStore

/// `POST /v1/auth/login`, `POST /v1/auth/logout`.
struct AuthController {
    let users: UserStore
    let sessions: SessionStore
    let sessionLifetime: Duration
    let hasher: PasswordHasher
    let trustedProxies: Set<String>

    struct Credentials: Decodable {
        let login: String
        let password: String
    }

    struct SignedIn: ResponseEncodable {
        let token: String
        let expiresAt: Date
        let user: User
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/auth/login") { request, context in
            let client = ClientAddress.of(request, peer: context.peerAddress, trustedProxies: trustedProxies)
            return try await signIn(try await request.decodeJSON(as: Credentials.self, context: context), from: client)
        }
        group.post("/auth/logout") { _, context -> Response in
            _ = try context.signedIn()
            if let token = context.token { try await sessions.revoke(token: token) }
            return Response(status: .noContent)
        }
    }

    /// Same answer, and about the same time, for an unknown login and a wrong password.
    /// Failures are counted per login and client address, so that a stranger failing with
    /// somebody's login blocks only their own address.
    func signIn(_ credentials: Credentials, from client: String) async throws -> SignedIn {
        // A login no account can have is wrong at once: saying so tells nothing (the format
        // is public), and it costs neither a password check nor a throttle row.
        guard NewUser.isPossibleLogin(NewUser.normalizedLogin(credentials.login)) else { throw Self.wrongCredentials }
        do {
            return try await hasher.admitting(client) { verifier in
                if let until = try await sessions.blockedUntil(login: credentials.login, client: client) {
                    throw Self.tooManyAttempts(until: until)
                }
                let account = try await users.credentials(login: credentials.login)
                let matches = try await verifier.verify(credentials.password, hash: account?.passwordHash ?? PasswordHasher.decoyHash)
                guard let account, matches else {
                    if let until = try await sessions.recordFailure(login: credentials.login, client: client) {
                        throw Self.tooManyAttempts(until: until)
                    }
                    throw Self.wrongCredentials
                }
                try await sessions.clearFailures(login: credentials.login, client: client)
                let session = try await sessions.create(userID: account.user.id, lifetime: sessionLifetime)
                return SignedIn(token: session.token, expiresAt: session.expiresAt, user: account.user)
            }
        } catch let refusal as SignInAdmission.Refusal {
            let detail =
                refusal == .busy
                ? "Too many sign-ins at once; try again in a moment."
                : "Too many sign-ins from your address; try again in \(refusal.retryAfterSeconds) seconds."
            var problem = Problem(.tooManyRequests, detail: detail)
            problem.retryAfterSeconds = refusal.retryAfterSeconds
            throw problem
        }
    }

    private static let wrongCredentials = Problem(.unauthorized, detail: "The login or the password is wrong.")

    private static func tooManyAttempts(until: Date) -> Problem {
        var problem = Problem(.tooManyRequests, detail: "Too many failed sign-ins for this login from your address; wait and try again.")
        problem.retryAfterSeconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
        return problem
    }
}
