import Foundation

/// Who may do what, in one place. Controllers name the action; nothing else decides.
public enum Policy {
    public enum Action: Sendable, Equatable {
        case readReferenceData
        case listOrganizations
        case createOrganization
        case readOrganization(UUID)
        /// `role` nil: "some user", before the body says which role.
        case createUser(role: Role?)
        case readOwnAccount
        case readAudit
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Not signed in: 401.
        case unauthenticated
        /// Signed in, but not allowed: 403.
        case forbidden
    }

    public static func decide(_ identity: Identity?, _ action: Action) -> Decision {
        if action == .readReferenceData { return .allowed }
        guard let identity else { return .unauthenticated }
        return isAllowed(identity, action) ? .allowed : .forbidden
    }

    private static func isAllowed(_ identity: Identity, _ action: Action) -> Bool {
        switch (identity.role, action) {
        case (_, .readReferenceData), (_, .readOwnAccount):
            true
        case (.admin, _):
            true
        // Staff read everything and manage organisations, users and providers, but do not
        // make administrators.
        case (.staff, .createUser(let role)):
            role != .admin
        case (.staff, _):
            true
        // Community and municipality users act on their own organisation only.
        case (.municipality, .readOrganization(let id)), (.community, .readOrganization(let id)):
            id == identity.organizationID
        case (.municipality, _), (.community, _), (.provider, _):
            false
        }
    }
}
