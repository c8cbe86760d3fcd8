import Foundation

/// A Peruvian mobile number as people write it (`987 654 321`, `+51 987-654-321`,
/// `0051987654321`), kept in E.164: `+51` and nine digits, the first a 9 (every Peruvian
/// mobile; landlines start otherwise and take no SMS).
public struct PeruvianMobile: Sendable, Equatable, Codable, CustomStringConvertible {
    public let e164: String
    public var description: String { e164 }
    /// As people in Peru write it: 987 654 321.
    public var national: String {
        let digits = Array(e164.dropFirst(3))
        return [digits[0..<3], digits[3..<6], digits[6..<9]].map { String($0) }.joined(separator: " ")
    }

    public init?(_ typed: String) {
        var digits = typed.filter { !" -.()".contains($0) }
        if digits.hasPrefix("+51") {
            digits.removeFirst(3)
        } else if digits.hasPrefix("0051") {
            digits.removeFirst(4)
        } else if digits.count == 11, digits.hasPrefix("51") {
            digits.removeFirst(2)
        }
        guard digits.count == 9, digits.first == "9", digits.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        e164 = "+51" + digits
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let mobile = PeruvianMobile(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a Peruvian mobile number"))
        }
        self = mobile
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// How a user is reached: a mobile number for SMS (none: only the list in Yachaq), whether SMS
/// are wanted, and the language messages come in.
public struct ContactSettings: Sendable, Equatable, Codable {
    public var phone: String?
    public var sms: Bool
    public var language: DisplayLanguage

    public init(phone: String?, sms: Bool, language: DisplayLanguage) {
        self.phone = phone
        self.sms = sms
        self.language = language
    }

    // No number is an explicit null, as the API promises.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(phone, forKey: .phone)
        try container.encode(sms, forKey: .sms)
        try container.encode(language, forKey: .language)
    }
}

/// `PUT /v1/users/me/contact` as sent.
public struct ContactInput: Decodable, Sendable {
    public var phone: String?
    public var sms: Bool?
    public var language: String?

    public init(phone: String?, sms: Bool?, language: String?) {
        self.phone = phone
        self.sms = sms
        self.language = language
    }

    /// Checked against what the user has now (an omitted field keeps its value); SMS need a number.
    public func checked(keeping current: ContactSettings) throws -> ContactSettings {
        var check = Validator()
        let typed = phone?.trimmed
        let mobile = typed.flatMap { $0.isEmpty ? nil : PeruvianMobile($0) }
        check(
            typed.map { $0.isEmpty || mobile != nil } ?? true, "phone", "a Peruvian mobile: 9 digits starting with 9, e.g. +51 987 654 321")
        let language = language.map(DisplayLanguage.init(rawValue:)) ?? current.language
        check(language != nil, "language", "es, qu or en")
        let number = phone == nil ? current.phone : mobile?.e164
        let sms = sms ?? current.sms
        // A number typed wrong is said at the number, not again at SMS.
        let typedWrong = !(typed ?? "").isEmpty && mobile == nil
        check(!sms || number != nil || typedWrong, "sms", "needs a phone number")
        try check.finish()
        return ContactSettings(phone: number, sms: sms, language: language ?? current.language)
    }
}

/// What Yachaq tells a user, by kind; the words are the translation tables' `notify.<kind>`.
public enum NotificationKind: String, Sendable, Codable, CaseIterable {
    /// A technician: a community (or staff for it) invites them to a request.
    case invited
    /// A community or municipality: a technician applied to one of its requests.
    case applied
    /// A community or municipality: an invited technician accepted or declined (`answer`).
    case answered

    /// The words' key under `notify.` and `sms.`: an answer's words say which answer.
    public func wordsKey(_ params: [String: String]) -> String {
        self == .answered ? "answered_\(params["answer"] == "accepted" ? "accepted" : "declined")" : rawValue
    }
}

/// One notification as its recipient reads it.
public struct UserNotification: Sendable, Equatable, Codable {
    public let id: Int64
    public let kind: NotificationKind
    /// The values its words take (`title`, `place`, `who`, …), as text.
    public let params: [String: String]
    /// What it is about: an application (for `invited` and `applied`).
    public let subject: UUID?
    public let createdAt: Date
    /// Its words in the reader's language, from the translation tables.
    public var text: String?

    public init(id: Int64, kind: NotificationKind, params: [String: String], subject: UUID?, createdAt: Date, text: String? = nil) {
        self.id = id
        self.kind = kind
        self.params = params
        self.subject = subject
        self.createdAt = createdAt
        self.text = text
    }

    // Absent values are explicit nulls, as the API promises.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(params, forKey: .params)
        try container.encode(subject, forKey: .subject)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(text, forKey: .text)
    }
}
