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
        /// Staff register talents; a provider user registers its own profile, once.
        case createProvider
        /// A profile without consent to publish is for staff and its owner only.
        case readProvider(UUID, published: Bool)
        case updateProvider(UUID)
        /// Change a profile's DNI, or a status that staff set: staff's, never the talent's
        /// (a talent could otherwise probe which DNIs exist, or lift its own suspension).
        case changeProviderStanding
        /// The DNI and phone number of a profile.
        case readProviderPrivateFields(UUID)
        case searchProviders(includeUnpublished: Bool)
        case certifyProvider
        case recordTraining
        /// Post a request for this organisation.
        case createServiceRequest(organizationID: UUID)
        /// Read a request's shortlist and applications, invite, interview, choose: the
        /// requesting organisation's people (and staff).
        case manageServiceRequest(organizationID: UUID)
        /// Apply to a request as this provider; withdraw its application.
        case actAsProvider(UUID)
        /// Write a contract of this buyer: create it, move it on, amend it, judge its milestones,
        /// record its payments (whoever funds the share paid).
        case manageContract(organizationID: UUID)
        /// A contract is seen by its buyer's people, its technician, and staff.
        case readContract(organizationID: UUID, providerID: UUID)
        /// Rate a finished contract: its buyer's people only. Staff (and admin) stay neutral.
        case rateContract(organizationID: UUID)
        /// Hide an abusive comment of a rating (never its scores).
        case moderateRatings
        /// Scorecards, indicators and the other reports: staff's.
        case readReports
        /// Record a performance review; suspending and reinstating are administrators' only.
        case reviewProvider(ReviewDecision)
        /// A provider's reviews: staff, and the provider reviewed.
        case readReviews(providerID: UUID)
        /// Answer a review: the provider reviewed, nobody for them.
        case answerReview(providerID: UUID)
        /// Accept or decline an invitation: the provider invited, nobody for them.
        case answerInvitation(providerID: UUID)
        /// The SMS outbox: read it, send a failed text again.
        case manageSMSOutbox
    }

    /// Whose contracts a caller sees in lists.
    public enum ContractVisibility: Sendable, Equatable {
        case all
        case organization(UUID)
        case provider(UUID)
        case none
    }

    public static func contractVisibility(_ identity: Identity) -> ContractVisibility {
        switch identity.role {
        case .admin, .staff: .all
        case .community, .municipality: identity.organizationID.map(ContractVisibility.organization) ?? .none
        case .provider: identity.providerID.map(ContractVisibility.provider) ?? .none
        }
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Not signed in: 401.
        case unauthenticated
        /// Signed in, but not allowed: 403.
        case forbidden
    }

    public static func decide(_ identity: Identity?, _ action: Action) -> Decision {
        if isPublic(action) { return .allowed }
        guard let identity else { return .unauthenticated }
        return isAllowed(identity, action) ? .allowed : .forbidden
    }

    /// What anybody may do, signed in or not.
    private static func isPublic(_ action: Action) -> Bool {
        switch action {
        case .readReferenceData, .readProvider(_, published: true), .searchProviders(includeUnpublished: false): true
        default: false
        }
    }

    private static func isAllowed(_ identity: Identity, _ action: Action) -> Bool {
        switch (identity.role, action) {
        case (_, .readOwnAccount):
            true
        case (.municipality, .rateContract(let id)), (.community, .rateContract(let id)):
            id == identity.organizationID
        case (_, .rateContract):
            false
        case (.provider, .answerReview(let id)), (.provider, .answerInvitation(let id)):
            id == identity.providerID
        case (_, .answerReview), (_, .answerInvitation):
            false
        case (.admin, _):
            true
        // Staff read everything and manage organisations, users and providers, but do not
        // make administrators.
        case (.staff, .createUser(let role)):
            role != .admin
        case (.staff, .reviewProvider(let decision)):
            !decision.needsAdmin
        case (.staff, _):
            true
        // Community and municipality users act on their own organisation only.
        case (.municipality, .readOrganization(let id)), (.community, .readOrganization(let id)),
            (.municipality, .createServiceRequest(let id)), (.community, .createServiceRequest(let id)),
            (.municipality, .manageServiceRequest(let id)), (.community, .manageServiceRequest(let id)),
            (.municipality, .manageContract(let id)), (.community, .manageContract(let id)),
            (.municipality, .readContract(let id, _)), (.community, .readContract(let id, _)):
            id == identity.organizationID
        // A provider user: its own profile only, and making it if it has none yet.
        case (.provider, .createProvider):
            identity.providerID == nil
        case (.provider, .readProvider(let id, _)), (.provider, .updateProvider(let id)), (.provider, .readProviderPrivateFields(let id)),
            (.provider, .actAsProvider(let id)), (.provider, .readContract(_, let id)), (.provider, .readReviews(let id)):
            id == identity.providerID
        case (.municipality, _), (.community, _), (.provider, _):
            false
        }
    }
}
