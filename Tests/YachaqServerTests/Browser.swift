import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A browser for the page tests: keeps the cookies the service sets, sends an
/// `Accept-Language`, and posts forms with the CSRF token of the last page it opened.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var language: String?
    /// The last page's HTML, where forms take their token from.
    var page = ""

    init(_ client: any TestClientProtocol, language: String? = nil, session: String? = nil) {
        self.client = client
        self.language = language
        if let session { cookies["yachaq_session"] = session }
        // A signed-in reader has chosen the language with the switch (else the account's wins).
        if session != nil, let language { cookies["yachaq_lang"] = language }
    }

    @discardableResult
    mutating func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: headers(extra), body: nil)
        keep(response)
        page = String(buffer: response.body)
        return response
    }

    /// Posts `fields` as a form, with the token of the last page unless `csrf` says otherwise
    /// (nil: no token at all).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [(String, String)], csrf: String?? = .none) async throws -> TestResponse {
        var all = fields
        switch csrf {
        case .none: all.append(("csrf", try lastToken()))
        case .some(.some(let token)): all.append(("csrf", token))
        case .some(.none): break
        }
        var headers = headers([:])
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = all.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        keep(response)
        if response.status != .seeOther { page = String(buffer: response.body) }
        return response
    }

    /// A step that cannot be undone: the first post must answer with the page that asks
    /// (200, nothing written); then the same fields go again with `confirmed=yes`.
    @discardableResult
    mutating func postConfirmed(_ uri: String, _ fields: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> TestResponse
    {
        let asked = try await post(uri, fields)
        #expect(asked.status == .ok, "\(uri) did not ask first", sourceLocation: sourceLocation)
        #expect(page.contains(#"name="confirmed" value="yes""#), "\(uri) did not ask first", sourceLocation: sourceLocation)
        return try await post(uri, fields + [("confirmed", "yes")])
    }

    /// The CSRF token in the last page's forms.
    func lastToken() throws -> String {
        try #require(Self.first(#"name="csrf" value="([^"]+)""#, in: page), "no form with a token on the last page")
    }

    /// The first capture of `pattern` in `text`.
    static func first(_ pattern: String, in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    /// `text` as a template writes it into HTML.
    static func escaped(_ text: some StringProtocol) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// The page shows this translation (its first `length` characters, escaped as HTML).
    func shows(_ key: String, in language: String, length: Int = 24) throws -> Bool {
        let text = try #require(try PageSources.table(language)[key], "no \(key) in \(language)")
        return page.contains(Self.escaped(text.prefix(length)))
    }

    /// Every capture of `pattern` in `text`.
    static func all(_ pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    private func headers(_ extra: HTTPFields) -> HTTPFields {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let language { headers[.acceptLanguage] = language }
        return headers
    }

    /// Stores the cookies the response sets (`Max-Age=0` removes one).
    private mutating func keep(_ response: TestResponse) {
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            if line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// The translation tables and templates as shipped, read from the source tree.
enum PageSources {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/YachaqServer/Resources/Pages")

    /// `key = text` lines of a language's table (a leading `~` marks a draft).
    static func table(_ language: String) throws -> [String: String] {
        let text = try String(contentsOf: root.appendingPathComponent("translations/\(language).txt"), encoding: .utf8)
        var table: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            table[parts[0].hasPrefix("~") ? String(parts[0].dropFirst()) : parts[0]] = parts[1]
        }
        return table
    }

    /// A route of the web pages (`"GET /home"`), not of the API or of the operators' endpoints.
    static func isPage(_ route: String) -> Bool {
        let path = route.split(separator: " ", maxSplits: 1).last.map(String.init) ?? route
        return !path.hasPrefix("/v1/") && !["/health", "/health/live", "/openapi.yaml", "/metrics"].contains(path)
    }

    static func templates() throws -> [String: String] {
        let directory = root.appendingPathComponent("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        return try Dictionary(
            uniqueKeysWithValues: names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) })
    }
}
