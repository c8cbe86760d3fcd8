import Foundation

/// The opaque `next_cursor` of a list: the sort key of the last item, base64url-encoded so
/// clients treat it as a token, not as something to build.
public enum Cursor {
    /// The bytes a cursor is made of: base64url's alphabet.
    public static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode(_ parts: [String]) -> String {
        Data(parts.joined(separator: "\u{1F}").utf8).base64URLEncoded
    }

    /// The parts, or nil when the text is not a cursor with `count` parts.
    public static func decode(_ text: String, count: Int) -> [String]? {
        guard let data = Data(base64URLEncoded: text), let joined = String(data: data, encoding: .utf8) else { return nil }
        let parts = joined.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return parts.count == count ? parts : nil
    }

    /// The parts of a cursor a list gave out, checked by `valid` (which also sees that
    /// they read as the sort key's types); else 422 on `cursor`. Nil for no cursor.
    public static func parts(of text: String?, count: Int, valid: ([String]) -> Bool = { _ in true }) throws -> [String]? {
        guard let text else { return nil }
        guard let parts = decode(text, count: count), valid(parts) else {
            throw InvalidInput(field: "cursor", "is not a cursor this list gave out")
        }
        return parts
    }
}

extension Data {
    /// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5): safe in a query or a header.
    public var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `count` bytes from the system's secure generator: tokens, CSRF masks.
    public static func random(count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// `base64URLEncoded` read back; nil for anything else.
    public init?(base64URLEncoded text: String) {
        guard text.utf8.count <= 4096 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
