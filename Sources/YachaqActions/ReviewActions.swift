import Foundation
import YachaqDomain
import YachaqStore

/// Staff's performance review of a technician; suspending and reinstating are
/// administrators' only.
public struct ReviewProvider: Sendable {
    let reviews: ReviewStore

    public func callAsFunction(_ providerID: UUID, _ draft: ReviewDraft, by identity: Identity) async throws -> ProviderReview {
        try identity.require(.reviewProvider(draft.decision))
        return try await reviews.review(providerID, draft, actor: identity)
    }
}

/// The technician's answer to a review of them, once; nobody answers for them.
public struct AnswerReview: Sendable {
    let reviews: ReviewStore

    public func callAsFunction(_ id: UUID, _ text: String, by identity: Identity) async throws -> ProviderReview {
        guard let review = try await reviews.find(id), identity.may(.readReviews(providerID: review.providerID)) else {
            throw StoreError.notFound("No review has id \(id).")
        }
        try identity.require(.answerReview(providerID: review.providerID))
        return try await reviews.answer(id, text, actor: identity)
    }
}
