import Foundation

/// What a user may be; the policy decides what each role may do.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin, staff, municipality, community, provider

    /// Roles that act for an organisation and must belong to one.
    public var needsOrganization: Bool { self == .municipality || self == .community }

    /// The organisation kinds a user of this role may belong to (nil: any, or none).
    public var organizationKinds: Set<OrganizationKind>? {
        switch self {
        case .municipality: [.municipality]
        case .community: [.community, .association]
        case .staff: [.agency]
        case .admin, .provider: nil
        }
    }
}

/// The signed-in user a request acts for.
public struct Identity: Sendable, Equatable {
    public var userID: UUID
    public var role: Role
    public var organizationID: UUID?
    public var providerID: UUID?

    public init(userID: UUID, role: Role, organizationID: UUID?, providerID: UUID?) {
        self.userID = userID
        self.role = role
        self.organizationID = organizationID
        self.providerID = providerID
    }
}
