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
}

/// A contract's rating, for those who may see the contract; nil before it is rated.
public struct ContractRating: Sendable {
    let contracts: ContractStore
    let ratings: RatingStore

    public func callAsFunction(_ id: UUID, by identity: Identity) async throws -> Rating? {
        _ = try await contracts.visibleParties(id, to: identity)
        return try await ratings.find(contractID: id)
    }
}
