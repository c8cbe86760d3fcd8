import Foundation
import YachaqDomain
import YachaqStore

/// A request: requests are public, so every id that exists is found.
public struct ReadRequest: Sendable {
    let requests: ServiceRequestStore
    let organizations: OrganizationStore

    public func callAsFunction(_ id: UUID) async throws -> ServiceRequest {
        try await requests.existing(id)
    }

    /// The name of who asks, as its call on the radio says it (published with its contracts).
    public func buyerName(of request: ServiceRequest) async throws -> String {
        try await organizations.find(request.organizationID)?.name ?? ""
    }
}

/// Requests newest first; optionally by status, a skill (or group), near a point, of one buyer.
public struct ListRequests: Sendable {
    let requests: ServiceRequestStore

    public func callAsFunction(
        status: ServiceRequestStatus? = nil, skill: String? = nil, near: (latitude: Double, longitude: Double)? = nil,
        radiusKm: Double = 0, organizationID: UUID? = nil, after cursor: String?, limit: Int
    ) async throws -> Page<ServiceRequest> {
        try await requests.list(
            status: status, skill: skill, near: near, radiusKm: radiusKm, organizationID: organizationID, after: cursor, limit: limit)
    }
}

/// A request's applications, for its buyer's people and staff.
public struct ListApplications: Sendable {
    let requests: ServiceRequestStore
    let applications: JobApplicationStore
    let providers: ProviderStore

    public func callAsFunction(_ requestID: UUID, by identity: Identity) async throws -> [JobApplication] {
        try await callAsFunction(of: try await requests.existing(requestID), by: identity)
    }

    /// For a request the caller has read already (a page shows both).
    public func callAsFunction(of request: ServiceRequest, by identity: Identity) async throws -> [JobApplication] {
        try identity.require(.manageServiceRequest(organizationID: request.organizationID))
        return try await applications.list(requestID: request.id)
    }

    /// With each applicant's profile as the buyer sees candidates (their public fields).
    public func withApplicants(of request: ServiceRequest, by identity: Identity) async throws
        -> [(application: JobApplication, applicant: Provider?)]
    {
        let listed = try await callAsFunction(of: request, by: identity)
        let people = try await providers.find(listed.map(\.providerID))
        return listed.map { ($0, people[$0.providerID]?.withoutPrivateFields) }
    }
}

/// The technician's own application to a request, if they made one (or were invited).
public struct OwnApplication: Sendable {
    let applications: JobApplicationStore

    public func callAsFunction(_ requestID: UUID, by identity: Identity) async throws -> JobApplication? {
        guard let provider = identity.providerID else { return nil }
        try identity.require(.actAsProvider(provider))
        return try await applications.list(requestID: requestID).first { $0.providerID == provider }
    }
}

/// A request's explained shortlist, best first, for its buyer's people and staff.
public struct Shortlist: Sendable {
    let matches: MatchStore

    /// Whose request it is is read on the shortlist's own connection, just before it.
    public func callAsFunction(_ requestID: UUID, limit: Int, by identity: Identity) async throws -> [Match] {
        try await matches.shortlist(request: requestID, limit: limit) { organization in
            try identity.require(.manageServiceRequest(organizationID: organization))
        }
    }

    /// For a request the caller has read already (a page shows both).
    public func callAsFunction(of request: ServiceRequest, limit: Int, by identity: Identity) async throws -> [Match] {
        try identity.require(.manageServiceRequest(organizationID: request.organizationID))
        return try await matches.shortlist(request: request.id, limit: limit)
    }
}
