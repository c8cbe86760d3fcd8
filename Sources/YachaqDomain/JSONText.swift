import Foundation

/// JSON written straight into bytes, for the responses that carry hundreds of objects (a
/// shortlist: 20 profiles and 160 reasons, about 1,800 keys). Foundation's encoder spent
/// 38 % of a shortlist's CPU in them, in existential containers, snake-casing every key and
/// sorting every object. The output is byte for byte what `JSONCoding.encoder` writes:
/// members are written in sorted order by the types themselves (`JSONTextWritable`), and
/// `JSONTextTests` compares the two on real data.
public struct JSONText: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// A value was just written at this level: the next member or element needs a comma.
    private var needsComma = false

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// `value` written whole.
    public static func of(_ value: some JSONTextWritable, capacity: Int = 4096) -> [UInt8] {
        var json = JSONText(capacity: capacity)
        value.write(to: &json)
        return json.bytes
    }

    // MARK: containers

    public mutating func object(_ members: (inout JSONText) -> Void) {
        open(UInt8(ascii: "{"))
        members(&self)
        close(UInt8(ascii: "}"))
    }

    public mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONText, Items.Element) -> Void) {
        open(UInt8(ascii: "["))
        for item in items { element(&self, item) }
        close(UInt8(ascii: "]"))
    }

    public mutating func array<Items: Sequence>(_ items: Items) where Items.Element: JSONTextWritable {
        array(items) { json, item in item.write(to: &json) }
    }

    /// A member's name; its value follows. Names must come in sorted order.
    public mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: values

    public mutating func string(_ value: String) {
        separate()
        quoted(value)
        needsComma = true
    }

    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func int(_ value: some BinaryInteger) {
        raw(String(value))
    }

    /// As Foundation writes a Double: Swift's shortest round-trip form without a trailing
    /// `.0` (12, -0, 0.1, 1e-07, 1e+16).
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }  // Foundation would refuse; JSON has no NaN
        let text = value.description
        raw(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    public mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    public mutating func null() {
        raw("null")
    }

    /// In lower case, as every id of the API is written.
    public mutating func uuid(_ value: UUID) {
        string(value.uuidString.lowercased())
    }

    /// ISO 8601 in UTC to the second, as `JSONEncoder.DateEncodingStrategy.iso8601` writes it.
    public mutating func date(_ value: Date) {
        let seconds = Int64(value.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let day = CalendarDay(daysSince1970: Int(days))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        string(
            "\(day.iso)T\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60))Z")
    }

    // MARK: bytes

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        bytes.append(byte)
        needsComma = false
    }

    private mutating func close(_ byte: UInt8) {
        bytes.append(byte)
        needsComma = true
    }

    private mutating func raw(_ text: String) {
        separate()
        bytes += text.utf8
        needsComma = true
    }

    /// A string in quotes, escaped as Foundation escapes it (slashes left as they are). The
    /// runs between escapes are copied whole: byte by byte, this was 7 % of a shortlist's CPU.
    private mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var plainFrom = 0
            for (index, byte) in utf8.enumerated() where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                bytes.append(contentsOf: utf8[plainFrom..<index])
                escape(byte)
                plainFrom = index + 1
            }
            bytes.append(contentsOf: utf8[plainFrom...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        }
    }
}

/// A type that writes itself as `JSONText`, members in sorted order, exactly as its
/// `Encodable` conformance encodes through `JSONCoding.encoder`.
public protocol JSONTextWritable {
    func write(to json: inout JSONText)
}
