import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain

/// `POST /v1/auth/login`, `POST /v1/auth/logout`.
struct AuthController {
    let actions: Actions
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
            let credentials = try await request.decodeJSON(as: Credentials.self, context: context)
            let session = try await actions.signIn(login: credentials.login, password: credentials.password, from: client)
            return SignedIn(token: session.token, expiresAt: session.expiresAt, user: session.user)
        }
        group.post("/auth/logout") { _, context -> Response in
            _ = try context.signedIn()
            if let token = context.token { try await actions.signOut(token: token) }
            return Response(status: .noContent)
        }
    }
}

extension Problem {
    /// A refused sign-in as the API says it: 401, or 429 with when to try again.
    init(_ refusal: SignIn.Refusal) {
        switch refusal {
        case .wrongCredentials:
            self.init(.unauthorized, detail: "The login or the password is wrong.")
        case .tooManyAttempts:
            self.init(.tooManyRequests, detail: "Too many failed sign-ins for this login from your address; wait and try again.")
        case .busy:
            self.init(.tooManyRequests, detail: "Too many sign-ins at once; try again in a moment.")
        case .addressOverRate(let seconds):
            self.init(.tooManyRequests, detail: "Too many sign-ins from your address; try again in \(seconds) seconds.")
        }
        retryAfterSeconds = refusal.retryAfterSeconds
    }
}
