import CompressNIO
import Foundation
import Hummingbird
import Mustache
import YachaqAssets
import YachaqDomain
import YachaqWords

/// What a page needs of its request, filled by `PageMiddleware`.
struct PageState: Sendable {
    var language: PageLanguage = .es
    /// The token every form of this browser carries (double-submitted: also its cookie).
    var csrf = ""
    /// The form a POST sent, parsed and checked against `csrf`.
    var form = FormFields()
    /// The signed-in user's login, for the header.
    var login: String?
    /// The page's path and query, for the language switch to come back to.
    var path = "/"
    /// The browser takes gzip: pages go compressed (a tenth of the bytes on a weak line).
    var gzip = false
    /// Served over TLS (directly or behind a trusted proxy): cookies get `Secure`.
    var secure = false
}

/// An `application/x-www-form-urlencoded` body: names with their values, in order.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init() {}

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    /// nil when the body is not a form (a bad percent escape, a NUL character).
    init?(_ body: String) {
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String? {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decoded(halves[0]), let value = halves.count > 1 ? decoded(halves[1]) : "",
                !name.utf8.contains(0), !value.utf8.contains(0)
            else { return nil }
            pairs.append((name, value))
        }
    }

    /// The first value sent under `name`, trimmed; nil when none or empty.
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }.map(\.value.trimmed).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every non-empty value sent under `name` (checkboxes, repeated rows).
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value.trimmed).filter { !$0.isEmpty }
    }

    /// What was typed, to show again beside an error.
    var typed: [String: String] {
        Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The templates, the translation tables and the stylesheet, loaded once from the assets.
final class PageKit: Sendable {
    let translations: Translations
    let stylesheet: String
    private let library: MustacheLibrary
    /// Each language's texts, read once.
    private let tables: [PageLanguage: TextTree.Table]

    /// The pages under `Pages/` of `assets`.
    init(assets: AssetTree) throws {
        var library = MustacheLibrary()
        for name in try assets.names(in: "Pages/templates") where name.hasSuffix(".mustache") {
            try library.register(try assets.text("Pages/templates/" + name), named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
        let translations = try Translations(assets: assets, folder: "Pages/translations")
        self.translations = translations
        stylesheet = try assets.text("Pages/static/yachaq.css")
        tables = Dictionary(uniqueKeysWithValues: PageLanguage.allCases.map { ($0, TextTree.Table(translations.table($0))) })
    }

    /// A template that is not among the assets, or one that read names its page did not give:
    /// a fault of ours (500), which the tests' pages catch.
    struct TemplateFault: Error, CustomStringConvertible {
        let template: PageTemplate
        let unknownNames: [String]
        var description: String {
            unknownNames.isEmpty
                ? "no template named \(template.rawValue)"
                : "template \(template.rawValue) reads names its page does not give: \(unknownNames.joined(separator: ", "))"
        }
    }

    /// `template` filled with `view` and what every page has (`PageFrame`), as a response.
    func render(_ template: PageTemplate, _ view: some PageView, context: AppRequestContext, status: HTTPResponse.Status = .ok)
        throws -> Response
    {
        let page = try html(
            template, view, language: context.page.language, csrf: context.page.csrf, path: context.page.path, login: context.page.login)
        if !page.unknownNames.isEmpty {
            let fault = TemplateFault(template: template, unknownNames: page.unknownNames)
            // Tests run the debug build, where the page fails; a release build shows the page
            // with those spots empty and says so in the log.
            #if DEBUG
                throw fault
            #else
                context.logger.error("\(fault)")
            #endif
        }
        return Self.respond(
            page.html, type: "text/html; charset=utf-8", cache: "private, no-store", status: status, gzip: context.page.gzip)
    }

    /// The page's HTML and the names its template read that nothing gave it. A refused form is
    /// drawn again with the summary of its errors on top, in the order the page shows them.
    func html(_ template: PageTemplate, _ view: some PageView, language: PageLanguage, csrf: String, path: String, login: String?)
        throws -> (html: String, unknownNames: [String])
    {
        let unknown = UnknownNames()
        var frame = PageFrame(
            view: view, texts: TextTree(table: tables[language] ?? TextTree.Table([:]), prefix: "", unknown: unknown),
            language: language,
            // Masked afresh on every page, so that compression cannot leak the token (BREACH).
            csrf: CSRFToken.masked(csrf), here: path, template: template,
            done: Self.done(in: path).flatMap { translations.has("done.\($0)", language) ? text("done.\($0)", language) : nil },
            login: login, unknown: unknown)
        guard var html = library.render(frame, withTemplate: template.rawValue) else {
            throw TemplateFault(template: template, unknownNames: [])
        }
        if !view.errors.isEmpty {
            frame.errorSummary = ErrorSummary.items(view.errors, in: html)
            html = library.render(frame, withTemplate: template.rawValue) ?? html
        }
        return (html, unknown.names.sorted())
    }

    /// The `done` of a page's query (`seeOther(_:done:)`): letters and dots only.
    static func done(in path: String) -> String? {
        let beforeFragment = path.prefix { $0 != "#" }
        guard let query = beforeFragment.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        let value = query.split(separator: "&").first { $0.hasPrefix("done=") }?.dropFirst("done=".count)
        return value.flatMap { $0.allSatisfy { $0.isLetter || $0 == "." || $0 == "_" } && !$0.isEmpty ? String($0) : nil }
    }

    /// The text as the body, gzipped when the browser takes it. Pages carry the reader's own
    /// data (`private, no-store`); the stylesheet is the same for everyone.
    static func respond(_ text: String, type: String, cache: String, status: HTTPResponse.Status = .ok, gzip: Bool) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: cache, .vary: "Accept-Encoding"]
        var body = ByteBuffer(string: text)
        if gzip, let compressed = try? body.compress(with: .gzip()) {
            body = compressed
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// Each language in its own name, as the switch shows it.
    static let names: [PageLanguage: String] = [.es: "Español", .qu: "Runasimi", .en: "English"]

    func text(_ key: String, _ language: PageLanguage, _ values: [String: String] = [:]) -> String {
        translations.text(key, language, values)
    }
}

/// A redirect after a form (303: the browser follows with GET).
func seeOther(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

/// After a write: to `location`, whose page says what was `done` in a banner (the text
/// `done.<key>` of the reader's language; an unknown key shows nothing).
func seeOther(_ location: String, done key: String) -> Response {
    let fragment = location.firstIndex(of: "#").map { String(location[$0...]) } ?? ""
    let path = location.dropLast(fragment.count)
    return seeOther("\(path)\(path.contains("?") ? "&" : "?")done=\(key)\(fragment)")
}
