import Foundation
import HTTPTypes
import Hummingbird
import YachaqDomain
import YachaqWords
import YachaqActions
import YachaqStore

/// The frame of every web page: who is signed in (the session cookie), the reader's
/// language, the CSRF check on every form, errors as pages in the reader's language, and
/// the security headers.
struct PageMiddleware: RouterMiddleware {
    let kit: PageKit
    let sessions: ReadSession
    let problems: ProblemMiddleware<AppRequestContext>
    let trustedProxies: Set<String>
    /// For a form's page: a refused form is drawn at the form's action, whose page is where
    /// the language switch goes back to.
    let routes: RouteTable

    static let sessionCookie = "yachaq_session", languageCookie = "yachaq_lang", csrfCookie = "yachaq_csrf"
    /// A form is a few fields; anything larger is not one of ours.
    static let largestForm = 64 * 1024

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        let cookies = request.cookies
        context.page.secure = isSecure(request, context)
        context.page.gzip = request.acceptsGzip
        context.page.path =
            request.method == .get ? PageCookies.localPath(request.uri.description) ?? "/" : routes.page(at: request.uri.path)
        context.page.language =
            cookies[Self.languageCookie].flatMap { PageLanguage(rawValue: $0.value) }
            ?? PageLanguage.preferred(by: request.headers[.acceptLanguage])
        let csrfSent = cookies[Self.csrfCookie]?.value
        let csrfKnown = csrfSent.map(Self.isToken) ?? false
        context.page.csrf = csrfKnown ? csrfSent ?? "" : Self.newToken()
        let sessionToken = cookies[Self.sessionCookie]?.value ?? ""
        var signedIn = false

        var response: Response
        do {
            if !sessionToken.isEmpty, let session = try await sessions.signedIn(token: sessionToken) {
                signedIn = true
                context.identity = session.identity
                context.token = sessionToken
                context.page.login = session.login
                // The browser's choice first; else the one the user made last, anywhere.
                if cookies[Self.languageCookie] == nil, let chosen = PageLanguage(rawValue: session.language) {
                    context.page.language = chosen
                }
            }
            if request.method == .post { context.page.form = try await checkedForm(request, context) }
            response = try await next(request, context)
        } catch {
            response = errorPage(error, request: request, context: context)
        }
        let setsCookies = response.headers[values: .setCookie]
        if !csrfKnown, !setsCookies.contains(where: { $0.hasPrefix(Self.csrfCookie + "=") }) {
            response.setCookie(PageCookies.cookie(Self.csrfCookie, context.page.csrf, context: context))
        }
        // A session cookie that names no live session is cleared, so the browser stops sending it.
        if !sessionToken.isEmpty, !signedIn, !setsCookies.contains(where: { $0.hasPrefix(Self.sessionCookie + "=") }) {
            response.setCookie(PageCookies.cookie(Self.sessionCookie, "", context: context, maxAge: 0))
        }
        Self.secure(&response.headers)
        return response
    }

    /// The posted form, if it is one and carries this browser's CSRF token; else 403 (no
    /// token or another one), 415 (not a form) or 400 (not decodable), before any handler runs.
    private func checkedForm(_ request: Request, _ context: AppRequestContext) async throws -> FormFields {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded" else {
            throw Problem(.unsupportedMediaType, detail: "Pages take forms (application/x-www-form-urlencoded).")
        }
        let body = try await request.body.collect(upTo: Self.largestForm)
        guard let form = FormFields(String(buffer: body)) else { throw Problem.badRequest("The form could not be read.") }
        guard CSRFToken.matches(masked: form["csrf"] ?? "", token: context.page.csrf) else {
            throw Problem(.forbidden, type: "/problems/csrf", detail: "The form did not carry this browser's token.")
        }
        return form
    }

    /// The error as a page in the reader's language: a sign-in first for 401; else the status
    /// with what it means and a way back. A 500 shows its request id, as the API's does.
    private func errorPage(_ error: any Error, request: Request, context: AppRequestContext) -> Response {
        let problem = problems.problem(for: error, request: request, context: context)
        if problem.status == .unauthorized {
            return seeOther("/sign-in?next=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        let known: Set<Int> = [400, 403, 404, 405, 409, 413, 415, 422, 429, 503]
        let code = known.contains(problem.status.code) ? problem.status.code : 500
        let message = problem.type == "/problems/csrf" ? "error.csrf" : "error.\(code)"
        let view = ErrorView(status: problem.status.code, message: kit.text(message, context.page.language), requestId: problem.requestID)
        // The error page is compiled in and checked at boot (`checkAssets`); were it missing, the
        // problem still reaches the reader, as plain text.
        var response =
            (try? kit.render(.error, view, context: context, status: problem.status))
            ?? PageKit.respond(
                "\(problem.status.code) \(problem.detail)", type: "text/plain; charset=utf-8", cache: "no-store",
                status: problem.status, gzip: false)
        if let retry = problem.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
        return response
    }

    /// Behind a trusted proxy that says the client came over TLS.
    private func isSecure(_ request: Request, _ context: AppRequestContext) -> Bool {
        guard trustedProxies.contains(context.peerAddress ?? ClientAddress.local) else { return false }
        return request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// What no page needs: scripts, frames, other origins; forms post only here.
    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.xFrameOptions] = "DENY"
    }

    /// 32 random bytes, base64url: a session or CSRF token.
    static func newToken() -> String {
        Data.random(count: 32).base64URLEncoded
    }

    /// A token this service could have made (43 base64url characters): anything else a
    /// browser sends is replaced.
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 43
            && text.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}

/// The CSRF token as forms carry it: a fresh random mask and the token XOR the mask, so the
/// page's bytes differ on every response and compression cannot reveal the token.
enum CSRFToken {
    static func masked(_ token: String) -> String {
        let bytes = Array(token.utf8), mask = Array(Data.random(count: bytes.count))
        return Data(mask + zip(bytes, mask).map { $0 ^ $1 }).base64URLEncoded
    }

    /// The form's masked token unmasks to `token`, compared in constant time.
    static func matches(masked: String, token: String) -> Bool {
        let expected = Array(token.utf8)
        guard !expected.isEmpty, let data = Data(base64URLEncoded: masked), data.count == 2 * expected.count else { return false }
        let bytes = Array(data), mask = bytes[..<expected.count], sealed = bytes[expected.count...]
        let sent = zip(mask, sealed).map { $0 ^ $1 }
        return zip(sent, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A refusal or a fault as a page: the status, what it means, and a 500's request id.
struct ErrorView: PageView {
    let status: Int
    let message: String
    let requestId: String?
}
