import Foundation
import YachaqDomain
import YachaqStore

/// A community, producer group, municipality or agency, registered by staff.
public struct RegisterOrganization: Sendable {
    let organizations: OrganizationStore

    public func callAsFunction(_ draft: OrganizationDraft, by identity: Identity) async throws -> Organization {
        try identity.require(.createOrganization)
        return try await organizations.create(draft, actor: identity)
    }
}

/// A change of an organisation's name, place, RUC or contact, by staff.
public struct EditOrganization: Sendable {
    let organizations: OrganizationStore

    public func callAsFunction(_ id: UUID, _ draft: OrganizationDraft, by identity: Identity) async throws -> Organization {
        try identity.require(.createOrganization)
        return try await organizations.update(id, draft, actor: identity)
    }
}

/// Disabling an organisation (its people can no longer sign in) or enabling it again.
public struct DisableOrganization: Sendable {
    let organizations: OrganizationStore

    public func callAsFunction(_ id: UUID, disabled: Bool, by identity: Identity) async throws -> Organization {
        try identity.require(.createOrganization)
        return try await organizations.setDisabled(id, disabled, actor: identity)
    }
}

/// An account, with the password its creator chose or was given. Staff make every role but
/// admin; the password is hashed only once the caller is known to be allowed (bcrypt is slow
/// on purpose). A password everyone tries first (NIST SP 800-63B's list check) is refused.
public struct CreateAccount: Sendable {
    let users: UserStore
    let hash: @Sendable (String) async throws -> String
    let commonPasswords: CommonPasswords

    public func callAsFunction(_ draft: UserDraft, password: String, by identity: Identity) async throws -> User {
        try identity.require(.createUser(role: draft.role))
        guard !commonPasswords.contains(password) else {
            throw InvalidInput(field: "password", "is one of the 10,000 most common passwords, the first that anyone tries; choose another")
        }
        return try await users.create(draft, passwordHash: try await hash(password), actor: identity)
    }
}

/// The most common passwords (`common-passwords.txt` of the assets), compared ignoring case.
public struct CommonPasswords: Sendable {
    let words: Set<String>

    /// One password a line; `#` starts a comment line.
    public init(_ text: String) {
        words = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.lowercased() })
    }

    public var count: Int { words.count }

    public func contains(_ password: String) -> Bool {
        words.contains(password.lowercased())
    }
}

/// Disabling an account (its sessions end) or enabling it again; staff do not touch admins'.
public struct DisableAccount: Sendable {
    let users: UserStore

    public func callAsFunction(_ id: UUID, disabled: Bool, by identity: Identity) async throws -> User {
        try await users.setDisabled(id, disabled, actor: identity) { try identity.require(.createUser(role: $0.role)) }
    }
}

/// A new password for an account, generated and shown once; staff do not touch admins'.
public struct ResetPassword: Sendable {
    let users: UserStore
    let hash: @Sendable (String) async throws -> String

    /// The account, with the password it has now.
    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> (user: User, password: String) {
        try identity.require(.createUser(role: nil))  // before the slow hash
        let password = NewUser.generatedPassword()
        let hashed = try await hash(password)
        let user = try await users.resetPassword(id, hash: hashed, actor: identity) { try identity.require(.createUser(role: $0.role)) }
        return (user, password)
    }
}

/// The accounts of an organisation (nil: those of none, admins among them), for staff.
public struct ListAccounts: Sendable {
    let users: UserStore

    public func callAsFunction(of organizationID: UUID?, by identity: Identity) async throws -> [User] {
        try identity.require(.createUser(role: nil))
        return try await users.list(organizationID: organizationID)
    }
}

/// The signed-in person's own account; 401 when it no longer exists.
public struct ReadOwnAccount: Sendable {
    let users: UserStore

    public func callAsFunction(by identity: Identity) async throws -> User? {
        try await users.find(identity.userID)
    }
}

/// The audit trail, newest first, of one kind of record or one record: staff's and admins'.
public struct ListAudit: Sendable {
    let audit: AuditStore

    public func callAsFunction(entity: String?, entityID: String?, after cursor: String?, limit: Int, by identity: Identity)
        async throws -> Page<AuditEntry>
    {
        try identity.require(.readAudit)
        return try await audit.list(entity: entity, entityID: entityID, after: cursor, limit: limit)
    }
}

/// An organisation, for its own people and staff (403 for others, then 404 for none).
public struct ReadOrganization: Sendable {
    let organizations: OrganizationStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> Organization {
        try identity.require(.readOrganization(id))
        guard let found = try await organizations.find(id) else { throw StoreError.notFound("No organisation has id \(id).") }
        return found
    }
}

/// Organisations by name, optionally of one kind: staff's.
public struct ListOrganizations: Sendable {
    let organizations: OrganizationStore

    public func callAsFunction(kind: OrganizationKind? = nil, search: String?, after cursor: String?, limit: Int, by identity: Identity)
        async throws -> Page<Organization>
    {
        try identity.require(.listOrganizations)
        return try await organizations.list(kind: kind, search: search, after: cursor, limit: limit)
    }
}
