import Foundation

/// A key given twice in one object of a JSON body. JSONSerialization keeps one of the two
/// silently, and a proxy or log reader may keep the other: the service and they would then act
/// on different requests (`{"amount_cents":100,"amount_cents":200}`). So a body with one is
/// refused, naming the key by its path (`funding[1].kind`).
enum RepeatedKeys {
    private enum Frame {
        case object(path: String, keys: Set<String>, expectingKey: Bool, lastKey: String)
        case array(path: String, index: Int)
    }

    /// The path of the first key repeated within its object, in `data` (valid JSON: the parser
    /// has read it already); nil when there is none. One pass, no recursion, whatever the depth.
    static func first(in data: Data) -> String? {
        let bytes = [UInt8](data)
        var stack: [Frame] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let path = childPath(of: stack.last)
                stack.append(
                    byte == UInt8(ascii: "{")
                        ? .object(path: path, keys: [], expectingKey: true, lastKey: "") : .array(path: path, index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                switch stack.last {
                case .object(let path, let keys, _, let lastKey):
                    stack[stack.count - 1] = .object(path: path, keys: keys, expectingKey: true, lastKey: lastKey)
                case .array(let path, let position): stack[stack.count - 1] = .array(path: path, index: position + 1)
                case nil: break
                }
            case UInt8(ascii: "\""):
                let (text, end) = string(in: bytes, from: index + 1)
                index = end
                if case .object(let path, var keys, true, _) = stack.last {
                    guard keys.insert(text).inserted else { return path.isEmpty ? text : path + "." + text }
                    stack[stack.count - 1] = .object(path: path, keys: keys, expectingKey: false, lastKey: text)
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// Where a value opened inside `parent` sits: `parent.key` or `parent[index]`.
    private static func childPath(of parent: Frame?) -> String {
        switch parent {
        case .object(let path, _, _, let key): path.isEmpty ? key : path + "." + key
        case .array(let path, let index): path + "[\(index)]"
        case nil: ""
        }
    }

    /// The string starting after its opening quote at `start`, its escapes decoded (so that
    /// `"a"` and `"\u0061"` are the same key), and the index of its closing quote.
    private static func string(in bytes: [UInt8], from start: Int) -> (String, Int) {
        var out: [UInt8] = []
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                out.append(bytes[index])
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var unit = hex(bytes, index)
                index += 4
                // A surrogate pair: two escapes make one character.
                if (0xD800...0xDBFF).contains(unit), index + 5 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex(bytes, index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                out += Array(String(Unicode.Scalar(unit).map(Character.init) ?? "\u{FFFD}").utf8)
            default: out.append(escape)  // \" \\ \/
            }
        }
        return (String(decoding: out, as: UTF8.self), index)
    }

    /// The four hex digits at `index` as a number (0 where the text is short or not hex; the
    /// parser has refused such JSON already).
    private static func hex(_ bytes: [UInt8], _ index: Int) -> UInt32 {
        guard index + 4 <= bytes.count else { return 0 }
        return UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) ?? 0
    }
}
