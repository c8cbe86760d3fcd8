import Hummingbird
import YachaqStore

/// Answers 503 (with Retry-After) when a request has not finished within `timeout`, and
/// cancels its work: no request can hold a client, or the shutdown, for longer. Work that
/// does not notice cancellation is bounded on its own (a statement timeout for queries, a
/// fixed cost for bcrypt), so the answer comes at most that much later.
struct DeadlineMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await withoutActuallyEscaping(next) { next in
            // The group waits for both children before returning, so `next` is never used
            // after this call returns: it does not really escape.
            nonisolated(unsafe) let next = next
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await next(request, context) }
                group.addTask {
                    try await sleepCancellably(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let response = try await group.next() ?? nil else {
                    throw Problem.unavailable("The request took longer than \(timeout); try again shortly.")
                }
                return response
            }
        }
    }
}
