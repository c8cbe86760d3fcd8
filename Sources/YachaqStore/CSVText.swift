import CSV
import Foundation

/// RFC 4180 CSV through yaslab/CSV.swift, with what the import's messages need on top: the
/// line each record starts on (a quoted field may span lines).
public enum CSVText {
    /// The records of `text`, each with the 1-based line it starts on; blank lines are
    /// skipped, and counted.
    public static func records(_ text: String) throws -> [(line: Int, fields: [String])] {
        let reader = try CSVReader(string: text)
        var records: [(line: Int, fields: [String])] = []
        var line = 1
        while let fields = reader.next() {
            if fields != [""] { records.append((line, fields)) }
            // The record's own line break, and those inside its quoted fields.
            line += 1 + fields.reduce(0) { count, field in count + field.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
        }
        if let error = reader.error { throw error }
        return records
    }

    /// The records as CSV text, each line ended by `\n`; a field is quoted when it holds a
    /// comma, a quote or a line break, and one a spreadsheet would run as a formula is defused. Written here rather than with the library's
    /// `CSVWriter`, which writes to an `OutputStream` one scalar at a time: 3.49 s against
    /// 0.34 s for 100,000 providers (`yachaq bench csv`, BENCHMARKS.md).
    public static func text(_ records: [[String]]) -> String {
        var text = ""
        for record in records {
            text += record.map { quoted(defused($0)) }.joined(separator: ",")
            text += "\n"
        }
        return text
    }

    /// A text a spreadsheet would take for a formula (OWASP's rule: it starts with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return), behind a `'` that makes it text; numbers, a
    /// correction's `-5000` among them, stay numbers. A name like `=HYPERLINK("http://…")`
    /// then reads as what it is.
    static func defused(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        if Double(field) != nil, field.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) { return field }
        return "'" + field
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
