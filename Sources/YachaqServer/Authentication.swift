import Hummingbird
import YachaqDomain
import YachaqActions

/// Reads `Authorization: Bearer <token>` and puts who it signs in on the context. No header:
/// anonymous (the policy decides what that may do). A token that is unknown, expired or
/// revoked: 401 at once, so a client learns its token is dead.
struct AuthenticationMiddleware: RouterMiddleware {
    let sessions: ReadSession

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        guard header.lowercased().hasPrefix("bearer "), case let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces),
            !token.isEmpty
        else {
            throw Problem(.unauthorized, detail: "The Authorization header must be: Bearer <token>.")
        }
        guard let identity = try await sessions.identity(token: token) else {
            throw Problem(.unauthorized, detail: "This token is unknown, expired or revoked; sign in again.")
        }
        var context = context
        context.identity = identity
        context.token = token
        return try await next(request, context)
    }
}
