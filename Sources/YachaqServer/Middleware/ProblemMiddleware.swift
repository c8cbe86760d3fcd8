import Synchronization
import Hummingbird
import NIOCore
import PostgresNIO
import YachaqActions
import YachaqDomain
import YachaqStore

/// Turns every error a route throws into a problem, so that no client ever sees a bare
/// status or an HTML page. Every failure is mapped here, in one place; stores only turn
/// the constraints they name into domain errors.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The routes, to tell "no such path" (404) from "not with this method" (405).
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw problem(for: error, request: request, context: context)
        }
    }

    func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let refusal as SignIn.Refusal:
            return Problem(refusal)
        case let invalid as InvalidInput:
            return Problem.validation(invalid.errors)
        case StoreError.notFound(let detail):
            return Problem.notFound(detail)
        case StoreError.conflict(let detail):
            return Problem(.conflict, detail: detail)
        case StoreError.forbidden(let detail):
            return Problem(.forbidden, detail: detail)
        case let unavailable as DatabaseUnavailable:
            context.logger.warning("database unavailable", metadata: ["error": "\(unavailable)"])
            return Problem.unavailable("The database is unreachable or busy; try again shortly.")
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, detail: "The body is larger than \(context.maxUploadSize / 1024 / 1024) MB.")
        case let error as HTTPError where error.status == .notFound:
            guard let allowed = routes.methods(for: request.uri.path), !allowed.contains(request.method) else {
                return Problem.notFound("Nothing here: \(request.method) \(request.uri.path)")
            }
            var problem = Problem(.methodNotAllowed, detail: "\(request.method) is not allowed on \(request.uri.path).")
            problem.allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            return problem
        case let error as HTTPError:
            return Problem(error.status, detail: error.body ?? error.status.reasonPhrase)
        case let error as PSQLError:
            return problem(for: error, context: context)
        case is CancellationError:
            return Problem.unavailable("The request was cancelled before it finished; try again.")
        default:
            return internalError(error, context: context)
        }
    }

    /// SQLSTATE classes: 22 data exceptions and 23 integrity violations are the client's
    /// input (422 / 409, in words without the schema's names); 08 connection, 53 resources,
    /// 57 operator intervention (a statement timeout, a shutdown) are the database's state
    /// (503 with Retry-After); anything else is a bug (500).
    func problem(for error: PSQLError, context: Context) -> Problem {
        guard let state = error.serverInfo?[.sqlState] else {
            context.logger.warning("database connection failed", metadata: ["error": "\(String(reflecting: error))"])
            return Problem.unavailable("The database is unreachable; try again shortly.")
        }
        switch (state, state.prefix(2)) {
        case ("23505", _), ("23P01", _):
            return Problem(.conflict, detail: "This conflicts with a record that exists already.")
        case ("23503", _):
            return Problem.invalid("A record this refers to does not exist.")
        case (_, "23"):
            return Problem.invalid("A value breaks a rule of the registry.")
        case (_, "22"):
            return Problem.invalid("A value is malformed or out of range.")
        case ("40001", _), ("40P01", _):
            return Problem(.conflict, detail: "A concurrent change conflicted with this one; try again.")
        case (_, "08"), (_, "53"), (_, "57"):
            context.logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return Problem.unavailable(
                state == "57014" ? "The database took too long; try again shortly." : "The database is unavailable; try again shortly.")
        default:
            return internalError(error, context: context)
        }
    }

    /// 500: the detail says nothing of the cause; the log has it under the request id.
    private func internalError(_ error: any Error, context: Context) -> Problem {
        let id = context.logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? "unknown"
        context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
        var problem = Problem(.internalServerError, detail: "An unexpected error occurred; it was logged under request id \(id).")
        problem.requestID = id
        return problem
    }
}

/// The methods each path pattern answers, filled once the routes are added.
final class RouteTable: Sendable {
    private let patterns = Mutex<[(segments: [Substring], methods: Set<HTTPRequest.Method>)]>([])

    func load<Context>(_ router: Router<Context>) {
        var table: [String: Set<HTTPRequest.Method>] = [:]
        for route in router.routes { table["\(route.path)", default: []].insert(route.method) }
        patterns.withLock { patterns in
            patterns = table.map { path, methods in (path.split(separator: "/"), methods) }
        }
    }

    /// The methods of the pattern `path` matches; nil when none does.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let segments = path.split(separator: "/")
        return patterns.withLock { patterns in
            patterns.first { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { $0.first == "{" || $0.first == ":" || $0 == $1 }
            }?.methods
        }
    }

    /// The page a browser may open for `path`: itself when it answers GET, else the nearest
    /// address above it that does (a form's page for the form's action), else the reader's home.
    func page(at path: String) -> String {
        var segments = path.split(separator: "/")[...]
        while !segments.isEmpty {
            let candidate = "/" + segments.joined(separator: "/")
            if methods(for: candidate)?.contains(.get) == true { return candidate }
            segments = segments.dropLast()
        }
        return "/home"
    }
}
