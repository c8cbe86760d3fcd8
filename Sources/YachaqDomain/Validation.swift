/// One thing wrong with a field of the input, in words the person who sent it can act on.
public struct FieldError: Error, Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Everything wrong with one input, collected so the client can fix it all at once.
public struct InvalidInput: Error, Sendable, Equatable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public init(field: String, _ message: String) {
        self.init([FieldError(field: field, message: message)])
    }
}

/// An input as a client sends it, and the one step that makes it a draft: every field
/// validated and normalised, every reference code looked up. The drafts' initialisers are
/// internal to this module, so a draft exists only if its input passed `checked`; stores
/// take drafts, never inputs, and check nothing again.
public protocol CheckedInput: Decodable, Sendable {
    associatedtype Draft: Sendable
    func checked(against codes: ReferenceCodes) throws -> Draft
}

/// Collects field errors while checking an input: `check(condition, field, message)`;
/// `finish()` throws them if there are any.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func callAsFunction(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { errors.append(FieldError(field: field, message: message)) }
    }

    /// A ubigeo field: six digits naming a district of `codes`.
    public mutating func district(_ text: String, _ field: String, in codes: ReferenceCodes) -> Ubigeo? {
        let ubigeo = Ubigeo(text)
        self(ubigeo != nil, field, "a ubigeo is 6 digits, e.g. 080101")
        if let ubigeo { self(codes.ubigeos.contains(ubigeo.code), field, "no district has ubigeo \(ubigeo)") }
        return ubigeo
    }

    public func finish() throws {
        if !errors.isEmpty { throw InvalidInput(errors) }
    }

    /// An input that is one text: trimmed, `range` characters long, else 422 on `field`.
    static func text(_ text: String, _ field: String, _ range: ClosedRange<Int>, _ message: String) throws -> String {
        let text = text.trimmed
        var check = Validator()
        check(range.contains(text.count), field, message)
        try check.finish()
        return text
    }
}

extension String {
    /// True when the text is only ASCII digits, exactly `count` of them.
    public func isDigits(count: Int) -> Bool {
        utf8.count == count && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Surrounding white space removed.
    public var trimmed: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}

/// The largest values the domain accepts, stated once (the API document and the SQL CHECK
/// constraints of 0008 say the same): whatever the SQL multiplies stays far from overflow.
public enum Bounds {
    /// S/ 10,000 a day.
    public static let dailyRateCents: Int64 = 1_000_000
    /// S/ 100 million: a request's budget, a contract's amount.
    public static let amountCents: Int64 = 10_000_000_000
}
