/// An SVG drawing as a tree. Element and attribute names can only be the code's own
/// (`StaticString`), and every attribute value and text is escaped as it is written, so a
/// name or figure from the data can never end an element or open one: escaping is by
/// construction, not by remembering.
struct SVG {
    private enum Content {
        case element(name: StaticString, attributes: [(StaticString, String)], children: [SVG])
        case text(String)
    }

    private let content: Content

    private init(_ content: Content) {
        self.content = content
    }

    static func element(_ name: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], _ children: [SVG] = []) -> SVG {
        SVG(.element(name: name, attributes: attributes.map { ($0.key, $0.value) }, children: children))
    }

    static func text(_ text: String) -> SVG {
        SVG(.text(text))
    }

    /// The drawing as XML.
    var xml: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch content {
        case .text(let text):
            out += Self.escaped(text)
        case .element(let name, let attributes, let children):
            out += "<\(name)"
            for (attribute, value) in attributes { out += " \(attribute)=\"\(Self.escaped(value))\"" }
            guard !children.isEmpty else {
                out += "/>"
                return
            }
            out += ">"
            for child in children { child.write(to: &out) }
            out += "</\(name)>"
        }
    }

    /// Text as XML writes it, in an attribute's quotes or between elements.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
