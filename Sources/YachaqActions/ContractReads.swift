import Foundation
import YachaqDomain
import YachaqStore

/// The contracts the caller may see (`Policy.contractVisibility`), newest first, filtered.
public struct ListContracts: Sendable {
    let contracts: ContractStore

    public func callAsFunction(_ filter: ContractFilter = ContractFilter(), after cursor: String?, limit: Int, by identity: Identity)
        async throws -> Page<Contract>
    {
        try await contracts.list(Policy.contractVisibility(identity), filter: filter, after: cursor, limit: limit)
    }
}

/// A contract's payments, in the order they were recorded, for those who may see the contract.
public struct ContractPayments: Sendable {
    let contracts: ContractStore
    let payments: PaymentStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> [Payment] {
        _ = try await contracts.visibleParties(id, to: identity)
        return try await payments.list(contractID: id)
    }

    /// The payments of those of `listed` the caller may see, in one statement (a scorecard's).
    public func callAsFunction(of listed: [Contract], by identity: Identity) async throws -> [Payment] {
        try await payments.list(contractIDs: listed.filter { $0.paidCents != 0 && identity.may(.reading($0)) }.map(\.id))
    }
}

/// A contract's rating, for those who may see the contract; nil before it is rated.
public struct ContractRating: Sendable {
    let contracts: ContractStore
    let ratings: RatingStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> Rating? {
        _ = try await contracts.visibleParties(id, to: identity)
        return try await ratings.find(contractID: id)
    }

    /// The ratings of those of `listed` the caller may see, by contract, in one statement.
    public func callAsFunction(of listed: [Contract], by identity: Identity) async throws -> [UUID: Rating] {
        try await ratings.find(contractIDs: listed.filter { identity.may(.reading($0)) }.map(\.id))
    }
}

/// What the contract form starts from: the request's terms and the technician its assembly
/// selected, the buyer, and the organisations of each kind that may fund a line; for those
/// who may make the request's contract. Nil when nobody has been selected yet.
public struct PrepareContract: Sendable {
    let contracts: ContractStore
    let providers: ProviderStore
    let organizations: OrganizationStore

    public struct Form: Sendable {
        public let prefill: ContractPrefill
        public let technician: Provider
        public let buyer: Organization?
        public let funders: [OrganizationKind: [Organization]]
    }

    public func callAsFunction(
        _ request: ServiceRequest, applicationID: UUID?, funderKinds: [OrganizationKind], by identity: Identity
    ) async throws -> Form? {
        try identity.require(.manageContract(organizationID: request.organizationID))
        guard let prefill = try await contracts.prefill(requestID: request.id, applicationID: applicationID),
            let providerID = prefill.providerID, let technician = try await providers.find(providerID)
        else { return nil }
        var funders: [OrganizationKind: [Organization]] = [:]
        for kind in Set(funderKinds) { funders[kind] = try await organizations.list(kind: kind, search: nil, after: nil, limit: 50).items }
        return Form(
            prefill: prefill, technician: technician.withoutPrivateFields, buyer: try await organizations.find(request.organizationID),
            funders: funders)
    }
}

extension Policy.Action {
    /// Reading `contract`: its buyer's people, its technician, staff.
    static func reading(_ contract: Contract) -> Policy.Action {
        .readContract(organizationID: contract.organizationID, providerID: contract.providerID)
    }
}
