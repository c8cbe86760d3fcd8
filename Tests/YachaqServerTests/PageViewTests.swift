import Mustache
import Testing
@testable import YachaqServer
import YachaqTestSupport
import YachaqWords

/// A template that reads a name its page does not give is caught: the page's values are typed
/// structs, so "given, with nothing in it" (an optional that is nil) and "not given" (a
/// misspelt or forgotten name) differ, and only the second is a fault.
@Suite struct PageViewTests {
    struct Row: PageValues {
        let name: String
        let note: String?
    }
    struct View: PageView {
        let title: String
        let maybe: String?
        let rows: [Row]
    }

    func rendered(_ template: String, _ view: View) throws -> (html: String, unknown: [String]) {
        var library = MustacheLibrary()
        try library.register(template, named: "page")
        let unknown = UnknownNames()
        let frame = PageFrame(
            view: view, texts: TextTree(table: .init(["a.b": "text", "a.c": "other"]), prefix: "", unknown: unknown), language: .qu,
            csrf: "token", here: "/", template: .landing, done: nil, login: nil, unknown: unknown)
        return (try #require(library.render(frame, withTemplate: "page")), unknown.names.sorted())
    }

    @Test func namesGivenRenderAndNilOptionalsAreNoFault() throws {
        let view = View(title: "T", maybe: nil, rows: [Row(name: "x", note: nil), Row(name: "y", note: "n")])
        let page = try rendered(
            "{{title}}|{{#maybe}}M{{/maybe}}{{^maybe}}none{{/maybe}}|"
                + "{{#rows}}{{name}}{{#note}}:{{note}}{{/note}}{{^note}}-{{/note}},{{/rows}}|{{t.a.b}}|{{lang}}|{{#login}}in{{/login}}",
            view)
        #expect(page.html == "T|none|x-,y:n,|text|qu|")
        #expect(page.unknown.isEmpty)
    }

    /// A nil inside a row stops the search there: an outer name of the same spelling is not
    /// shown in its place, and it is not taken for a name nobody gave.
    @Test func aNilInARowHidesTheSameNameOfThePage() throws {
        let view = View(title: "T", maybe: "page's", rows: [Row(name: "x", note: nil)])
        struct Outer: PageView {
            let note: String
            let rows: [Row]
        }
        var library = MustacheLibrary()
        try library.register("{{#rows}}[{{note}}]{{/rows}}", named: "page")
        let unknown = UnknownNames()
        let frame = PageFrame(
            view: Outer(note: "outer", rows: view.rows), texts: TextTree(table: .init([:]), prefix: "", unknown: unknown),
            language: .es, csrf: "", here: "/", template: .landing, done: nil, login: nil, unknown: unknown)
        #expect(library.render(frame, withTemplate: "page") == "[]")
        #expect(unknown.names.isEmpty)
    }

    @Test func namesNobodyGaveAreReportedWithTheTextKeysNoTableHas() throws {
        let view = View(title: "T", maybe: "m", rows: [Row(name: "x", note: nil)])
        let page = try rendered("{{titel}}{{#rows}}{{nam}}{{/rows}}{{t.a.d}}{{t.z}}{{#t.a}}{{/t.a}}", view)
        #expect(page.unknown == ["nam", "t.a.d", "t.z", "titel"])
    }

    /// The real templates: a page given the wrong view is refused with the names it lacks.
    @Test func aPageGivenTheWrongValuesNamesWhatItLacks() throws {
        let kit = try PageKit(assets: TestDatabase.assets)
        let page = try kit.html(.error, NoValues(), language: .es, csrf: "c", path: "/", login: nil)
        #expect(page.unknownNames == ["message", "requestId", "status"])
        let right = try kit.html(
            .error, ErrorView(status: 404, message: "m", requestId: nil), language: .qu, csrf: "c", path: "/", login: "eusebia")
        #expect(right.unknownNames.isEmpty)
        #expect(right.html.contains("404") && right.html.contains("eusebia"))
    }
}
