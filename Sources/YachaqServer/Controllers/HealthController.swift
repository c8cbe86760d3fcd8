import Hummingbird
import Synchronization
import YachaqStore

/// `GET /health`: is the service up and can it reach its database? (readiness: a load
/// balancer sends it nothing while not). `GET /health/live`: does the process answer?
/// (liveness: restarting it cannot mend a database that is down.)
struct HealthController {
    let database: Database
    /// A check must answer fast even when the database hangs (`healthCheckTimeout`).
    let timeout: Duration

    struct Health: ResponseEncodable {
        let status: String
        let database: String
    }

    struct Live: ResponseEncodable {
        let status: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/health") { _, _ in try await check() }
        router.get("/health/live") { _, _ in Live(status: "ok") }
    }

    func check() async throws -> Health {
        let database = self.database
        let reachable = await firstOf(timeout: timeout, default: false) {
            do {
                _ = try await database.query("SELECT 1").collect()
                return true
            } catch {
                return false
            }
        }
        guard reachable else {
            var problem = Problem.unavailable("The database is unreachable.")
            problem.database = "unreachable"
            throw problem
        }
        return Health(status: "ok", database: "ok")
    }
}

/// Runs `work` and returns its result, or `fallback` once `timeout` has passed, whichever
/// comes first. Unlike a task group, it does not wait for `work` to notice cancellation.
func firstOf<T: Sendable>(timeout: Duration, default fallback: T, _ work: @escaping @Sendable () async -> T) async -> T {
    let resumed = Mutex(false)
    return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let finish: @Sendable (T) -> Void = { value in
            let first = resumed.withLock { done in
                defer { done = true }
                return !done
            }
            if first { continuation.resume(returning: value) }
        }
        let worker = Task { finish(await work()) }
        Task {
            try? await Task.sleep(for: timeout)
            worker.cancel()
            finish(fallback)
        }
    }
}
