import Hummingbird

/// An address no route serves, asked for by a browser (it accepts HTML and is not under
/// `/v1/`): the pages' own 404 page in the reader's language, with the header and the way
/// home, instead of the API's problem JSON. API clients keep their problems.
///
/// A form's address opened again (a reload, a bookmark, back after a refused form: the
/// address was the form's action, which only takes posts) goes to the page the form is on,
/// the nearest address above it that a browser may open.
struct UnknownPageMiddleware: RouterMiddleware {
    let pages: PageMiddleware
    let routes: RouteTable

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.wantsPage(request) {
            if request.method == .get, routes.methods(for: request.uri.path) != nil {
                return seeOther(routes.page(at: String(request.uri.path.split(separator: "/").dropLast().joined(separator: "/"))))
            }
            // The pages' middleware sets up the reader (session, language, token) and draws the error.
            return try await pages.handle(request, context: context) { _, _ in throw error }
        }
    }

    static func wantsPage(_ request: Request) -> Bool {
        let path = request.uri.path
        return !path.hasPrefix("/v1/") && path != "/v1" && (request.headers[.accept] ?? "").contains("text/html")
    }
}
