import HTTPTypes
import Hummingbird

/// Every response names its request (`X-Request-Id`), the id every log line of that request
/// carries (`hb.request.id`): a user's report or a proxy's log leads to the service's lines.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            // Every error answer comes as a thrown problem (ProblemMiddleware throws them for
            // the server to write): written here instead, so that it is named too.
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = context.id
        return response
    }
}
