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
    /// Sent as the Allow header (405).
    public var allow: String?
    /// Extension member of a 500: the id under which the log holds what went wrong.
    public var requestID: String?

    public init(
        _ status: HTTPResponse.Status, type: String = "about:blank", title: String? = nil, detail: String, errors: [FieldError]? = nil
    ) {
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
        invalid(errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    /// 422: the input was wrong, in the words of `detail`.
    public static func invalid(_ detail: String, errors: [FieldError]? = nil) -> Problem {
        Problem(.unprocessableContent, type: "/problems/validation", title: "Invalid input", detail: detail, errors: errors)
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
        if let allow { headers[.allow] = allow }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// 503 with Retry-After: the database is unreachable or overloaded; nothing was done.
    public static func unavailable(_ detail: String, retryAfter seconds: Int = 2) -> Problem {
        var problem = Problem(.serviceUnavailable, detail: detail)
        problem.retryAfterSeconds = seconds
        return problem
    }

    private enum CodingKeys: String, CodingKey { case type, title, status, detail, errors, database, requestID }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(database, forKey: .database)
        try container.encodeIfPresent(requestID, forKey: .requestID)
    }
}
