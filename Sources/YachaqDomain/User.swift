import Foundation

public enum DisplayLanguage: String, Sendable, Codable, CaseIterable {
    case es, qu, en
}

public struct User: Sendable, Codable, Equatable {
    public var id: UUID
    public var login: String
    public var role: Role
    public var organizationId: UUID?
    public var providerId: UUID?
    public var displayLanguage: DisplayLanguage
    public var createdAt: Date

    public init(id: UUID, login: String, role: Role, organizationId: UUID?, providerId: UUID?, displayLanguage: DisplayLanguage, createdAt: Date) {
        self.id = id
        self.login = login
        self.role = role
        self.organizationId = organizationId
        self.providerId = providerId
        self.displayLanguage = displayLanguage
        self.createdAt = createdAt
    }

    public var identity: Identity {
        Identity(userID: id, role: role, organizationID: organizationId, providerID: providerId)
    }

    // Absent links are explicit nulls, as the API promises.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(login, forKey: .login)
        try container.encode(role, forKey: .role)
        try container.encode(organizationId, forKey: .organizationId)
        try container.encode(providerId, forKey: .providerId)
        try container.encode(displayLanguage, forKey: .displayLanguage)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// A user as a client (or the command line) asks to create it.
public struct NewUser: Sendable, Decodable, Equatable {
    public var login: String
    public var password: String
    public var role: String
    public var organizationId: UUID?
    public var providerId: UUID?
    public var displayLanguage: String?

    public static let minimumPasswordLength = 10

    public init(login: String, password: String, role: String, organizationId: UUID? = nil, providerId: UUID? = nil, displayLanguage: String? = nil) {
        self.login = login
        self.password = password
        self.role = role
        self.organizationId = organizationId
        self.providerId = providerId
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

    public func validated() throws -> (login: String, role: Role, organizationId: UUID?, providerId: UUID?, displayLanguage: DisplayLanguage) {
        var check = Validator()
        let login = Self.normalizedLogin(login)
        check(Self.isPossibleLogin(login), "login", "3 to 64 characters: letters, digits, and . _ @ - (not first)")
        check(password.count >= Self.minimumPasswordLength, "password", "must be at least \(Self.minimumPasswordLength) characters")
        check(password.utf8.count <= 72, "password", "must be at most 72 bytes (bcrypt reads no further)")
        check(!password.utf8.contains(0), "password", "must not contain a NUL character (bcrypt stops reading there)")
        let role = Role(rawValue: role)
        check(role != nil, "role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        if let role {
            check(!role.needsOrganization || organizationId != nil, "organization_id", "a \(role.rawValue) user belongs to an organisation")
            check(role.organizationKinds != nil || role == .admin || organizationId == nil, "organization_id", "a \(role.rawValue) user belongs to no organisation")
            check(role == .provider || providerId == nil, "provider_id", "only provider users speak for a provider profile")
        }
        let language = DisplayLanguage(rawValue: displayLanguage ?? "es")
        check(language != nil, "display_language", "must be es, qu or en")
        try check.finish()
        return (login, role!, organizationId, providerId, language!)
    }
}
