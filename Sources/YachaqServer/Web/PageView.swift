import Mustache
import YachaqWords

/// Values a template reads: a struct whose stored properties are the names it reads
/// (`canSelect` is `{{#canSelect}}`), with lists of smaller such structs for its sections.
/// A name none of them has is looked up in the enclosing sections, as Mustache does, up to
/// the page; there it is a fault of ours, which rendering reports (`UnknownNames`).
protocol PageValues: MustacheParent {}

extension PageValues {
    func child(named name: String) -> Any? { PageValueTree.values(of: self)[name] }
}

/// Views as Mustache reads them fastest: each `PageValues` struct as a dictionary of its
/// stored properties, made once per page. (Reflecting a struct at every name a template reads
/// made a contract page 0.4 ms slower than the dictionaries the views replaced.)
enum PageValueTree {
    /// `value` with every `PageValues` in it, lists included, as dictionaries.
    static func tree(_ value: Any) -> Any {
        if let values = value as? any PageValues { return self.values(of: values) }
        if let list = value as? [any PageValues] { return list.map { self.values(of: $0) } }
        return value
    }

    /// The stored properties of `object` by name: an optional that is nil as `Nothing` (the
    /// name is given, with nothing in it, so the search for it stops there).
    static func values(of object: any PageValues) -> [String: Any] {
        var values: [String: Any] = [:]
        for child in Mirror(reflecting: object).children {
            guard let label = child.label else { continue }
            let value = Mirror(reflecting: child.value)
            values[label] = value.displayStyle == .optional ? value.children.first.map { tree($0.value) } ?? Nothing() : tree(child.value)
        }
        return values
    }
}

/// A name given with nothing in it: renders as nothing, a section over it is skipped and an
/// inverted one shown.
struct Nothing: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

/// A whole page's values.
protocol PageView: PageValues {
    /// A refused form's messages by field, shown beside each field and in the summary at the
    /// top of the page.
    var errors: [String: String] { get }
}

extension PageView {
    var errors: [String: String] { [:] }
}

/// A page that has nothing of its own to show (the landing page).
struct NoValues: PageView {}

/// The templates of whole pages (the others are partials they include), so that a page
/// cannot name a template that does not exist: a test holds this list to the files.
enum PageTemplate: String, CaseIterable {
    case confirm, contact, contract
    case contractForm = "contract-form"
    case contractPrint = "contract-print"
    case error, home, landing, messages
    case opportunities, profile
    case profileForm = "profile-form"
    case radio, receipt, request
    case requestForm = "request-form"
    case signIn = "sign-in"
    case staffDirectory = "staff-directory"
    case staffIndicators = "staff-indicators"
    case staffMap = "staff-map"
    case staffNeedsLook = "staff-needs-look"
    case staffOrganization = "staff-organization"
    case staffOrganizations = "staff-organizations"
    case staffScorecard = "staff-scorecard"
    case staffUsers = "staff-users"
    case talents
    case technicianHome = "technician-home"
    case technicianRequest = "technician-request"

    /// Staff read tables, charts and the map at a desk: their pages use the width.
    var wide: Bool { rawValue.hasPrefix("staff-") }
    /// Printed and signed on paper.
    var paper: Bool { self == .contractPrint }
}

/// The names a template read that nothing gave it, collected while one page renders.
final class UnknownNames {
    private(set) var names: Set<String> = []
    func note(_ name: String) { names.insert(name) }
}

/// The names every page has (the layout's: texts, language, CSRF token, who is signed in,
/// the success banner and the error summary), and below them the page's own view.
struct PageFrame: MustacheParent {
    let view: any PageView
    /// The view's values, read once.
    private let values: [String: Any]
    let texts: TextTree
    let language: PageLanguage
    let csrf: String
    let here: String
    let template: PageTemplate
    let done: String?
    let login: String?
    var errorSummary: [ErrorSummary.Item] = []
    let unknown: UnknownNames

    init(
        view: any PageView, texts: TextTree, language: PageLanguage, csrf: String, here: String, template: PageTemplate, done: String?,
        login: String?, unknown: UnknownNames
    ) {
        (self.view, self.texts, self.language, self.csrf, self.here, self.template) = (view, texts, language, csrf, here, template)
        (self.done, self.login, self.unknown) = (done, login, unknown)
        values = PageValueTree.values(of: view)
    }

    struct LanguageButton: PageValues {
        let code: String
        let name: String
        let current: Bool
    }

    func child(named name: String) -> Any? {
        switch name {
        case "t": return texts
        case "lang": return language.rawValue
        case "csrf": return csrf
        case "here": return here
        case "wide": return template.wide
        case "print": return template.paper
        case "done": return done ?? Nothing()
        case "login": return login ?? Nothing()
        case "errors": return view.errors
        case "errorSummary": return PageValueTree.tree(errorSummary)
        case "hasErrorSummary": return !errorSummary.isEmpty
        case "switchLanguages":
            return PageValueTree.tree(
                PageLanguage.allCases.map { LanguageButton(code: $0.rawValue, name: PageKit.names[$0] ?? "", current: $0 == language) })
        default:
            if let value = values[name] { return value }
            unknown.note(name)
            return nil
        }
    }
}

/// A language's texts as the templates read them: `{{t.contract.amount}}` walks `contract`,
/// then `amount`. A key that the table lacks is noted, as a missing name is.
struct TextTree: MustacheParent {
    /// A language's table and the keys that have texts below them (`contract` for
    /// `contract.amount`), read once.
    final class Table: Sendable {
        let texts: [String: String]
        let branches: Set<String>
        init(_ texts: [String: String]) {
            self.texts = texts
            branches = Set(
                texts.keys.flatMap { key in
                    let parts = key.split(separator: ".")
                    return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: ".") }
                })
        }
    }

    let table: Table
    let prefix: String
    let unknown: UnknownNames

    func child(named name: String) -> Any? {
        let key = prefix.isEmpty ? name : "\(prefix).\(name)"
        if let text = table.texts[key] { return text }
        if table.branches.contains(key) { return TextTree(table: table, prefix: key, unknown: unknown) }
        unknown.note("t.\(key)")
        return nil
    }
}
