import Foundation
import YachaqAssets
import YachaqDomain

/// The languages Yachaq speaks, on its pages and in the API's texts: Spanish, Quechua
/// (Cusco-Collao) and English.
public enum PageLanguage: String, Sendable, CaseIterable {
    case es, qu, en

    /// The first language of an `Accept-Language` header that the pages speak (any Quechua
    /// tag counts as Quechua: `quz`, `que`, `qu-PE`); Spanish when none is.
    public static func preferred(by header: String?) -> PageLanguage {
        let ranges = (header ?? "").split(separator: ",").compactMap { part -> (tag: String, weight: Double)? in
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased(), !tag.isEmpty else { return nil }
            let weight =
                pieces.dropFirst().lazy.compactMap { piece -> Double? in
                    let setting = piece.trimmingCharacters(in: .whitespaces)
                    return setting.hasPrefix("q=") ? Double(setting.dropFirst(2)) : nil
                }.first ?? 1
            return (tag, weight.isFinite ? weight : 0)
        }
        for range in ranges.enumerated().sorted(by: { ($0.element.weight, -$0.offset) > ($1.element.weight, -$1.offset) })
        where range.element.weight > 0 {
            let primary = range.element.tag.split(separator: "-").first.map(String.init) ?? ""
            if let language = PageLanguage(rawValue: primary) { return language }
            if ["que", "quz", "quy", "qxu", "qub", "quh", "qve"].contains(primary) { return .qu }
        }
        return .es
    }
}

/// The translation tables: one plain file per language (`Pages/translations/xx.txt` of the assets),
/// a line per string, `key = text`, with `{name}` where a figure goes. A Quechua line that
/// starts with `~` is a draft still waiting for a native speaker's review. A key missing in
/// a language shows as `⟦key⟧`, never as another language's text; the tests fail on it.
public struct Translations: Sendable {
    let tables: [PageLanguage: [String: String]]
    /// Quechua keys whose text is a draft (`~`), for the README and the reviewers.
    public let drafts: Set<String>

    /// The tables `xx.txt` in `folder` of `assets`.
    public init(assets: AssetTree, folder: String) throws {
        var tables: [PageLanguage: [String: String]] = [:]
        var drafts: Set<String> = []
        for language in PageLanguage.allCases {
            let text = try assets.text("\(folder)/\(language.rawValue).txt")
            var table: [String: String] = [:]
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                var line = Substring(String(line).trimmed)
                guard !line.isEmpty, !line.hasPrefix("#") else { continue }
                let draft = line.hasPrefix("~")
                if draft { line = line.dropFirst() }
                guard let equals = line.firstIndex(of: "=") else { throw Malformed(language: language, line: String(line)) }
                let key = String(line[..<equals]).trimmed
                // `\n` in a text is a line break (the radio announcement has several).
                let value = String(line[line.index(after: equals)...]).trimmed.replacingOccurrences(of: "\\n", with: "\n")
                guard table.updateValue(value, forKey: key) == nil else { throw Malformed(language: language, line: String(line)) }
                if draft { drafts.insert(key) }
            }
            tables[language] = table
        }
        self.tables = tables
        self.drafts = drafts
    }

    struct Malformed: Error, CustomStringConvertible {
        let language: PageLanguage
        let line: String
        var description: String { "translations/\(language.rawValue).txt: not `key = text`, or a key twice: \(line)" }
    }

    /// The keys of a language's table.
    public func keys(_ language: PageLanguage) -> Set<String> {
        Set(tables[language]?.keys ?? [:].keys)
    }

    public func has(_ key: String, _ language: PageLanguage) -> Bool {
        tables[language]?[key] != nil
    }

    /// The text of `key` in `language` with `{name}` replaced by `values[name]`.
    public func text(_ key: String, _ language: PageLanguage, _ values: [String: String] = [:]) -> String {
        guard let text = tables[language]?[key] else { return "⟦\(key)⟧" }
        return values.isEmpty ? text : Self.filled(text, values)
    }

    /// `{name}` replaced by `values[name]` in one pass over the bytes; unknown names stay as
    /// written. (Foundation's `replacingOccurrences`, once per value, was 16 % of a
    /// shortlist's CPU: its 160 reasons each have a note.)
    static func filled(_ text: String, _ values: [String: String]) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")),
                let value = values[String(decoding: bytes[(index + 1)..<close], as: UTF8.self)]
            {
                out += value.utf8
                index = close + 1
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A language's whole table, key by key (`page.home.title`), for templates to read as
    /// `{{t.page.home.title}}`.
    public func table(_ language: PageLanguage) -> [String: String] {
        tables[language] ?? [:]
    }
}
