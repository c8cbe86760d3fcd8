import Foundation
import Hummingbird
import YachaqDomain

/// The request context of every route: JSON in and out with the API's snake_case names,
/// and who is signed in (set by `AuthenticationMiddleware`).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The bearer token the identity came from (sign-out revokes it).
    public var token: String?
    /// The IP address of the connection's other end (nil for the in-process test client).
    public let peerAddress: String?
    /// What a web page needs of its request: language, CSRF token, the form posted
    /// (set by `PageMiddleware`; unused by the API).
    var page = PageState()

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    public var requestDecoder: JSONDecoder { JSONCoding.decoder }
    public var responseEncoder: JSONEncoder { JSONCoding.encoder }

    /// Lets the request through if the policy allows the action; else 401 or 403.
    public func require(_ action: Policy.Action) throws {
        switch Policy.decide(identity, action) {
        case .allowed: return
        case .unauthenticated:
            throw Problem(.unauthorized, detail: "Sign in first: send Authorization: Bearer <token> from POST /v1/auth/login.")
        case .forbidden: throw Problem(.forbidden, detail: "Your account may not do this.")
        }
    }

    /// The signed-in identity, or 401.
    public func signedIn() throws -> Identity {
        guard let identity else {
            throw Problem(.unauthorized, detail: "Sign in first: send Authorization: Bearer <token> from POST /v1/auth/login.")
        }
        return identity
    }
}
