import Foundation

public enum DisplayLanguage: String, Sendable, Codable, CaseIterable {
    case es, qu, en
}

public struct User: Sendable, Codable, Equatable {
    public var id: UUID
    public var login: String
    public var role: Role
    public var organizationID: UUID?
    public var providerID: UUID?
    public var displayLanguage: DisplayLanguage
    public var createdAt: Date
    /// When staff disabled the account (it signs in no more); nil while it is enabled.
    public var disabledAt: Date?

    public init(
        id: UUID, login: String, role: Role, organizationID: UUID?, providerID: UUID?, displayLanguage: DisplayLanguage, createdAt: Date,
        disabledAt: Date? = nil
    ) {
        self.id = id
        self.login = login
        self.role = role
        self.organizationID = organizationID
        self.providerID = providerID
        self.displayLanguage = displayLanguage
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    public var identity: Identity {
        Identity(userID: id, role: role, organizationID: organizationID, providerID: providerID)
    }

    // Absent links are explicit nulls, as the API promises.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(login, forKey: .login)
        try container.encode(role, forKey: .role)
        try container.encode(organizationID, forKey: .organizationID)
        try container.encode(providerID, forKey: .providerID)
        try container.encode(displayLanguage, forKey: .displayLanguage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(disabledAt, forKey: .disabledAt)
    }
}

/// A user as a client (or the command line) asks to create it.
public struct NewUser: CheckedInput, Equatable {
    public var login: String
    public var password: String
    public var role: String
    public var organizationID: UUID?
    public var providerID: UUID?
    public var displayLanguage: String?

    public static let minimumPasswordLength = 10

    public init(
        login: String, password: String, role: String, organizationID: UUID? = nil, providerID: UUID? = nil, displayLanguage: String? = nil
    ) {
        self.login = login
        self.password = password
        self.role = role
        self.organizationID = organizationID
        self.providerID = providerID
        self.displayLanguage = displayLanguage
    }

    /// Logins are compared in lower case.
    public static func normalizedLogin(_ login: String) -> String { login.trimmed.lowercased() }

    /// A new password for an account made without one (`yachaq user create`, the demo
    /// accounts): 16 characters from the system's generator, without look-alikes such as
    /// 0/O and 1/l.
    public static func generatedPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Whether some user could have this (normalised) login: 3 to 64 letters, digits and
    /// `. _ @ -`, not starting with a sign.
    public static func isPossibleLogin(_ login: String) -> Bool {
        login.wholeMatch(of: /[a-z0-9][a-z0-9._@-]{2,63}/) != nil
    }

    /// Checked and normalised, the password too; the draft leaves the password out (the
    /// accounts code hashes it, and only the hash is ever stored).
    public func checked(against codes: ReferenceCodes) throws -> UserDraft {
        try checked()
    }

    /// The same check; a user names no reference code.
    public func checked() throws -> UserDraft {
        var check = Validator()
        let login = Self.normalizedLogin(login)
        check(Self.isPossibleLogin(login), "login", "3 to 64 characters: letters, digits, and . _ @ - (not first)")
        check(password.count >= Self.minimumPasswordLength, "password", "must be at least \(Self.minimumPasswordLength) characters")
        check(!password.allSatisfy(\.isWhitespace), "password", "must not be only spaces")
        check(password.utf8.count <= 72, "password", "must be at most 72 bytes (bcrypt reads no further)")
        check(!password.utf8.contains(0), "password", "must not contain a NUL character (bcrypt stops reading there)")
        let role = Role(rawValue: role)
        check(role != nil, "role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        if let role {
            check(!role.needsOrganization || organizationID != nil, "organization_id", "a \(role.rawValue) user belongs to an organisation")
            check(
                role.organizationKinds != nil || role == .admin || organizationID == nil, "organization_id",
                "a \(role.rawValue) user belongs to no organisation")
            check(role == .provider || providerID == nil, "provider_id", "only provider users speak for a provider profile")
        }
        let language = DisplayLanguage(rawValue: displayLanguage ?? "es")
        check(language != nil, "display_language", "must be es, qu or en")
        try check.finish()
        return UserDraft(login: login, role: role!, organizationID: organizationID, providerID: providerID, displayLanguage: language!)
    }
}

/// A user that passed `NewUser.checked(against:)`: everything but the password.
public struct UserDraft: Sendable {
    public let login: String
    public let role: Role
    public let organizationID: UUID?
    public let providerID: UUID?
    public let displayLanguage: DisplayLanguage
}
