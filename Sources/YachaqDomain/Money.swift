/// Soles as people in Peru write and read them. Amounts are kept in céntimos; these turn
/// them into words on a page and back from what someone typed.
public enum Money {
    /// `S/ 8,000.00`: a comma between thousands and a point before the céntimos, as SUNAT's
    /// receipts write it, with a no-break space so that `S/` never wraps away from its number.
    public static func soles(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)S/\u{00A0}\(grouped(magnitude / 100)).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// What a form shows to be typed back: `8000` or `8000.50`, no symbol, no grouping.
    public static func typed(_ cents: Int64) -> String {
        let fraction = cents.magnitude % 100
        return "\(cents < 0 ? "-" : "")\(cents.magnitude / 100)" + (fraction == 0 ? "" : ".\(fraction < 10 ? "0" : "")\(fraction)")
    }

    /// An amount as typed in a form, in céntimos, or nil. The rule, the same for every
    /// amount field:
    /// - `S/` (or `S/.`) in front and spaces anywhere are left out: `S/ 8 000` is 8000;
    /// - a point or comma followed by one or two digits at the end starts the céntimos:
    ///   `8000.5`, `8000,50`, `8,000.50`, `8.000,50`;
    /// - any other point, comma or space separates thousands, in groups of three: `8,000`,
    ///   `8.000` and `1,000,000` are whole soles (soles have two decimals, so three digits
    ///   after a separator are a group);
    /// - one kind of thousands separator per amount: `1.000,000` and `1,000.000` are refused,
    ///   as is a group after a leading zero (`0,001`) and anything else (letters, a sign, more
    ///   than 9 digits of soles).
    public static func cents(typed text: String) -> Int64? {
        var rest = Substring(text.filter { !$0.isWhitespace })
        for symbol in ["S/.", "s/.", "S/", "s/"] where rest.hasPrefix(symbol) {
            rest = rest.dropFirst(symbol.count)
            break
        }
        guard let first = rest.first, first.isASCIIDigit else { return nil }
        var fraction: Int64 = 0
        if let separator = rest.lastIndex(where: { $0 == "." || $0 == "," }) {
            let decimals = rest[rest.index(after: separator)...]
            if (1...2).contains(decimals.count) {
                guard decimals.allSatisfy(\.isASCIIDigit), let value = Int64(decimals) else { return nil }
                fraction = decimals.count == 1 ? value * 10 : value
                let decimalMark = rest[separator]
                rest = rest[..<separator]
                guard !rest.contains(decimalMark) else { return nil }
            }
        }
        let groupMarks = Set(rest.filter { !$0.isASCIIDigit })
        guard groupMarks.count <= 1, groupMarks.allSatisfy({ $0 == "." || $0 == "," }) else { return nil }
        let groups = rest.split(separator: groupMarks.first ?? " ", omittingEmptySubsequences: false)
        guard let head = groups.first, groups.count == 1 || ((1...3).contains(head.count) && head.first != "0"),
            groups.dropFirst().allSatisfy({ $0.count == 3 })
        else { return nil }
        let digits = groups.joined()
        guard (1...9).contains(digits.count), let soles = Int64(digits) else { return nil }
        return soles * 100 + fraction
    }

    /// 1234567 as `1,234,567`.
    static func grouped(_ whole: UInt64) -> String {
        let digits = String(whole)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
