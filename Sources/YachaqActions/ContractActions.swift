import Foundation
import YachaqDomain
import YachaqStore

/// The contract if the caller may see it (its buyer's people, its technician, staff); "not
/// found" otherwise, as for an id that does not exist.
public struct ReadContract: Sendable {
    let contracts: ContractStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> Contract {
        guard let found = try await contracts.find(id),
            identity.may(.readContract(organizationID: found.organizationID, providerID: found.providerID))
        else { throw StoreError.notFound("No contract has id \(id).") }
        return found
    }
}

/// `ReadContract` with everything the contract's page shows, in one statement: the policy is
/// decided on the same read.
public struct ReadContractFile: Sendable {
    let contracts: ContractStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> ContractFile {
        guard let file = try await contracts.file(id),
            identity.may(.readContract(organizationID: file.contract.organizationID, providerID: file.contract.providerID))
        else { throw StoreError.notFound("No contract has id \(id).") }
        return file
    }
}

extension ContractStore {
    /// The buyer's steps on a contract (move it, amend it, judge a milestone): "not found" to
    /// whoever may not see it, 403 to whoever sees it but does not buy.
    func requireManaged(_ id: UUID, by identity: Identity) async throws {
        let parties = try await visibleParties(id, to: identity)
        try identity.require(.manageContract(organizationID: parties.organizationID))
    }

    /// Who the contract is between, if the caller may see it: for the writes, whose store
    /// locks and reads the whole contract anyway.
    func visibleParties(_ id: UUID, to identity: Identity) async throws -> (organizationID: UUID, providerID: UUID) {
        guard let parties = try await parties(id),
            identity.may(.readContract(organizationID: parties.organizationID, providerID: parties.providerID))
        else { throw StoreError.notFound("No contract has id \(id).") }
        return parties
    }
}

/// A draft contract from the request and the application its assembly selected (or, for
/// staff, from terms alone). The buyer is the request's organisation, else the one the input
/// names, else the caller's own.
///
/// A technician named directly (not through an application to the buyer's request) must be one
/// the caller may see: a talent who has not agreed to publish, or is suspended, reads exactly
/// like an id that does not exist, so that no contract tells a stranger they are there.
public struct CreateContract: Sendable {
    let contracts: ContractStore
    let providers: ProviderStore

    public func callAsFunction(_ input: NewContractDraft, by identity: Identity) async throws -> Contract {
        let prefill = try await contracts.prefill(requestID: input.requestID, applicationID: input.applicationID)
        let draft = try input.resolved(with: prefill, buyer: identity.buysForOwnOrganization)
        try identity.require(.manageContract(organizationID: draft.organizationID))
        // The technician the request's assembly selected applied to (or accepted) the buyer's
        // request: the buyer knows them. Anyone else is looked up as the caller may see them.
        if prefill?.providerID != draft.providerID {
            let provider = try await providers.find(draft.providerID)
            guard let provider, Policy.decide(identity, .readProvider(provider.id, published: provider.isPublic)) == .allowed else {
                throw InvalidInput(field: "provider_id", "no provider has this id")
            }
        }
        return try await contracts.create(draft, actor: identity)
    }
}

/// Signing, starting, completing, terminating or cancelling: the buyer's steps.
public struct MoveContract: Sendable {
    let contracts: ContractStore

    public func callAsFunction(_ id: UUID, _ move: ContractTransitionDraft, by identity: Identity) async throws -> Contract {
        try await contracts.requireManaged(id, by: identity)
        return try await contracts.transition(id, move, actor: identity)
    }
}

/// A change of the terms, kept beside the original.
public struct AmendContract: Sendable {
    let contracts: ContractStore

    public func callAsFunction(_ id: UUID, _ amendment: ContractAmendmentDraft, by identity: Identity) async throws -> Contract {
        try await contracts.requireManaged(id, by: identity)
        return try await contracts.amend(id, amendment, actor: identity)
    }
}

/// The buyer's judgement of one milestone: met or missed.
public struct JudgeMilestone: Sendable {
    let contracts: ContractStore

    public func callAsFunction(_ milestone: UUID, of id: UUID, _ change: MilestoneChangeDraft, by identity: Identity) async throws
        -> Contract
    {
        try await contracts.requireManaged(id, by: identity)
        return try await contracts.judge(milestone: milestone, of: id, change, actor: identity)
    }
}

/// The buyer's rating once the work ended; staff stay neutral and never rate.
public struct RateContract: Sendable {
    let contracts: ContractStore
    let ratings: RatingStore

    public func callAsFunction(_ id: UUID, _ draft: RatingDraft, by identity: Identity) async throws -> Rating {
        let parties = try await contracts.visibleParties(id, to: identity)
        try identity.require(.rateContract(organizationID: parties.organizationID))
        return try await ratings.rate(id, draft, actor: identity)
    }
}

/// Staff hide an abusive comment of a rating, never its scores.
public struct HideRatingComment: Sendable {
    let contracts: ContractStore
    let ratings: RatingStore

    public func callAsFunction(_ id: UUID, reason: String, by identity: Identity) async throws -> Rating {
        _ = try await contracts.visibleParties(id, to: identity)
        try identity.require(.moderateRatings)
        return try await ratings.hideComment(of: id, reason: reason, actor: identity)
    }
}
