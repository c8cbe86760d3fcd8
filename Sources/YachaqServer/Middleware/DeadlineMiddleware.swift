import Hummingbird
import YachaqStore

/// Answers 503 (with Retry-After) when a request has not finished within `timeout`, and
/// cancels its work: no request can hold a client, or the shutdown, for longer. Work that
/// does not notice cancellation is bounded on its own (a statement timeout for queries, a
/// fixed cost for bcrypt), so the answer comes at most that much later.
struct DeadlineMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration
    let watchdog = Watchdog.shared

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await withoutActuallyEscaping(next) { next in
            // `work` is awaited below whatever happens, so `next` is never used after this
            // call returns: it does not really escape.
            nonisolated(unsafe) let next = next
            // A task of its own, so that the deadline cancels this request and not the
            // connection's task (a cancelled task stays cancelled: its next request would fail).
            let work = Task { try await next(request, context) }
            let ticket = watchdog.watch(for: timeout) { work.cancel() }
            let result = await withTaskCancellationHandler {
                await work.result
            } onCancel: {
                work.cancel()
            }
            if watchdog.release(ticket) {
                throw Problem.unavailable("The request took longer than \(timeout); try again shortly.")
            }
            return try result.get()
        }
    }
}
