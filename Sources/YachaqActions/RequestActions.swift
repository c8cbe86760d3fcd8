import Foundation
import YachaqDomain
import YachaqStore

/// A request for a technician, posted by (or, for staff, for) a community or municipality.
public struct PostServiceRequest: Sendable {
    let requests: ServiceRequestStore

    public func callAsFunction(_ draft: ServiceRequestDraft, by identity: Identity) async throws -> ServiceRequest {
        guard let organization = draft.organizationID ?? identity.buysForOwnOrganization else {
            throw InvalidInput(field: "organization_id", "say which organisation the request is for")
        }
        try identity.require(.createServiceRequest(organizationID: organization))
        return try await requests.create(draft, organizationID: organization, actor: identity)
    }
}

/// Awarding, cancelling or closing a request: its buyer's steps.
public struct MoveServiceRequest: Sendable {
    let requests: ServiceRequestStore

    public func callAsFunction(_ id: UUID, _ transition: ServiceRequestTransitionDraft, by identity: Identity) async throws
        -> ServiceRequest
    {
        let found = try await requests.existing(id)
        try identity.require(.manageServiceRequest(organizationID: found.organizationID))
        return try await requests.transition(id, transition, actor: identity)
    }
}

/// The buyer (or staff) changes an open request: who may is decided on the locked row.
public struct EditServiceRequest: Sendable {
    let requests: ServiceRequestStore

    public func callAsFunction(
        _ id: UUID, by identity: Identity, change: @Sendable (NewServiceRequest) throws -> ServiceRequestDraft
    ) async throws -> ServiceRequest {
        try await requests.edit(
            id, actor: identity, authorize: { try identity.require(.manageServiceRequest(organizationID: $0)) }, change: change)
    }
}

/// A technician applying for themselves, or the buyer (or staff) inviting one from the
/// shortlist: which of the two is decided by whose profile the application names.
public struct ApplyToRequest: Sendable {
    let requests: ServiceRequestStore
    let applications: JobApplicationStore

    public func callAsFunction(_ requestID: UUID, _ draft: JobApplicationDraft, by identity: Identity) async throws -> JobApplication {
        let found = try await requests.existing(requestID)
        let applying = identity.providerID == draft.providerID
        try identity.require(applying ? .actAsProvider(draft.providerID) : .manageServiceRequest(organizationID: found.organizationID))
        return try await applications.apply(requestID: found.id, draft, invited: !applying, actor: identity)
    }
}

/// An application with its request's organisation, if the caller is its buyer's (or staff) or
/// its technician; "not found" for anyone else, as for none.
public struct ReadApplication: Sendable {
    let applications: JobApplicationStore
    let providers: ProviderStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> (application: JobApplication, organizationID: UUID) {
        guard let (application, organization) = try await applications.find(id),
            identity.may(.manageServiceRequest(organizationID: organization)) || identity.may(.actAsProvider(application.providerID))
        else { throw StoreError.notFound("No application has id \(id).") }
        return (application, organization)
    }

    /// The application and its applicant's name, for a page that asks before a step on it.
    public func withApplicantName(_ id: UUID, by identity: Identity) async throws
        -> (application: JobApplication, organizationID: UUID, applicantName: String)
    {
        let (application, organization) = try await callAsFunction(id, by: identity)
        let applicant = try await providers.find([application.providerID])[application.providerID]
        return (application, organization, applicant?.fullName ?? "")
    }
}

/// A step of an application: the buyer's shortlisting, interview, selection or rejection, or
/// the technician's withdrawal.
public struct ChangeApplication: Sendable {
    let read: ReadApplication
    let applications: JobApplicationStore

    public func callAsFunction(_ id: UUID, _ change: JobApplicationChangeDraft, by identity: Identity) async throws -> JobApplication {
        let (application, organization) = try await read(id, by: identity)
        // Withdrawing is the technician's own step; every other step is the buyer's.
        try identity.require(
            change.status == .withdrawn ? .actAsProvider(application.providerID) : .manageServiceRequest(organizationID: organization))
        return try await applications.change(id, change, actor: identity)
    }
}

extension ServiceRequestStore {
    /// Requests are public: any id that exists is found.
    func existing(_ id: UUID) async throws -> ServiceRequest {
        guard let found = try await find(id) else { throw StoreError.notFound("No request has id \(id).") }
        return found
    }
}
