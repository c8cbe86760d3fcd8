import Foundation
import YachaqDomain
import YachaqStore

/// A profile as the caller may see it: public ones (published, not suspended) to anyone, the
/// others to staff and their technician only (to anyone else they do not exist, so that an id
/// tells neither that it is there nor that it was sanctioned); the DNI and phone to staff and
/// the technician only.
public struct ReadProvider: Sendable {
    let providers: ProviderStore

    public func callAsFunction(_ id: UUID, by identity: Identity?) async throws -> Provider {
        guard let provider = try await providers.find(id),
            Policy.decide(identity, .readProvider(id, published: provider.isPublic)) == .allowed
        else { throw StoreError.notFound("No provider has id \(id).") }
        return Policy.decide(identity, .readProviderPrivateFields(id)) == .allowed ? provider : provider.withoutPrivateFields
    }
}

/// Who trained a talent and whom they trained; unpublished profiles in it only for staff.
public struct ProviderLineage: Sendable {
    let read: ReadProvider
    let lineage: LineageStore

    public func callAsFunction(_ id: UUID, by identity: Identity?) async throws -> Lineage {
        try await callAsFunction(of: try await read(id, by: identity), by: identity)
    }

    /// For a profile the caller has read through `ReadProvider` already (a page shows both).
    public func callAsFunction(of provider: Provider, by identity: Identity?) async throws -> Lineage {
        let seesAll = Policy.decide(identity, .searchProviders(includeUnpublished: true)) == .allowed
        return try await lineage.lineage(of: provider.id, publishedOnly: !seesAll)
    }
}

/// The ratings communities gave a talent, summed up.
public struct ProviderRatings: Sendable {
    let read: ReadProvider
    let ratings: RatingStore

    public func callAsFunction(_ id: UUID, by identity: Identity?) async throws -> RatingSummary {
        try await callAsFunction(of: try await read(id, by: identity))
    }

    /// For a profile the caller has read through `ReadProvider` already (a page shows both).
    public func callAsFunction(of provider: Provider) async throws -> RatingSummary {
        try await ratings.summary(providerID: provider.id)
    }
}

/// The registry searched: unpublished profiles, other statuses, DNIs and phones only for
/// staff, whatever the search asks.
public struct SearchProviders: Sendable {
    let providers: ProviderStore

    public func callAsFunction(_ search: ProviderSearch, by identity: Identity?) async throws -> Page<ProviderHit> {
        var search = search
        let seesAll = Policy.decide(identity, .searchProviders(includeUnpublished: true)) == .allowed
        if !seesAll {
            search.includeUnpublished = false
            search.status = .active
        }
        let page = try await providers.search(search)
        guard !seesAll else { return page }
        return Page(
            items: page.items.map { ProviderHit(provider: $0.provider.withoutPrivateFields, distanceKm: $0.distanceKm) },
            nextCursor: page.nextCursor)
    }
}

/// A talent's reviews, for staff and the talent; to anyone else the talent has none to show.
public struct ListReviews: Sendable {
    let reviews: ReviewStore

    public func callAsFunction(_ providerID: UUID, by identity: Identity) async throws -> [ProviderReview] {
        guard identity.may(.readReviews(providerID: providerID)) else { throw StoreError.notFound("No provider has id \(providerID).") }
        return try await reviews.list(providerID: providerID)
    }
}

/// A talent's scorecard: contracts, completion, ratings, reviews. Staff's.
public struct ReadScorecard: Sendable {
    let scorecards: ScorecardStore

    public func callAsFunction(_ providerID: UUID, by identity: Identity) async throws -> ProviderScorecard {
        try identity.require(.readReports)
        guard let scorecard = try await scorecards.scorecard(of: providerID) else {
            throw StoreError.notFound("No provider has id \(providerID).")
        }
        return scorecard
    }
}
