import Foundation
import Hummingbird
import PostgresNIO
import YachaqDomain
import YachaqStore

/// An RFC 9457 problem: every error the API returns has this shape, served as
/// `application/problem+json`.
public struct Problem: Error, HTTPResponseError, Encodable, Sendable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String
    public var errors: [FieldError]?
    /// Extension member of the health problem: which dependency is down.
    public var database: String?
    /// Sent as the Retry-After header (429, 503).
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, type: String = "about:blank", title: String? = nil, detail: String, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, detail: detail)
    }

    public static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, detail: detail)
    }

    /// 422 with the offending fields named.
    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            .unprocessableContent, type: "/problems/validation", title: "Invalid input",
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors
        )
    }

    public static func validation(field: String, _ message: String) -> Problem {
        validation([FieldError(field: field, message: message)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = ByteBuffer()
        body.writeBytes(try JSONCoding.encoder.encode(self))
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    private enum CodingKeys: String, CodingKey { case type, title, status, detail, errors, database }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(database, forKey: .database)
    }
}

/// Turns every error a route throws into a problem, so that no client ever sees a bare
/// status or an HTML page. Database errors are mapped here, in one place.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Self.problem(for: error, request: request, context: context)
        }
    }

    static func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error.unwrappingTransaction {
        case let problem as Problem:
            return problem
        case let invalid as ValidationError:
            return Problem.validation(invalid.errors)
        case StoreError.notFound(let detail):
            return Problem.notFound(detail)
        case StoreError.conflict(let detail):
            return Problem(.conflict, detail: detail)
        case let error as HTTPError:
            return Problem(error.status, detail: error.body ?? defaultDetail(error.status, request))
        case let error as PSQLError:
            return problem(for: error, context: context)
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.internalServerError, detail: "An unexpected error occurred; it has been logged.")
        }
    }

    private static func defaultDetail(_ status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "Nothing here: \(request.method) \(request.uri.path)"
        case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
        default: status.reasonPhrase
        }
    }

    /// SQLSTATE classes that mean the input or the state was wrong, not the server.
    static func problem(for error: PSQLError, context: Context) -> Problem {
        guard let state = error.serverInfo?[.sqlState] else {
            context.logger.error("database unreachable", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.serviceUnavailable, detail: "The database is unreachable; try again shortly.")
        }
        let message = error.serverInfo?[.message] ?? "constraint violated"
        switch state {
        case "23505", "23P01": return Problem(.conflict, detail: message)
        case "23503", "23514", "23502", "22P02", "22007", "22008", "22003":
            return Problem(.unprocessableContent, type: "/problems/validation", title: "Invalid input", detail: message)
        case "40001", "40P01": return Problem(.conflict, detail: "A concurrent change conflicted with this one; try again.")
        default:
            context.logger.error("database error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.internalServerError, detail: "An unexpected database error occurred; it has been logged.")
        }
    }
}
