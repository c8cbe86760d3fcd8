import Foundation
import Hummingbird
import YachaqDomain
import YachaqStore

/// Staff's review of providers: the scorecard they read, the reviews they record (admins
/// suspend and reinstate), and the providers' answers. Reviews are the reviewed provider's
/// and staff's to read; to anyone else they do not exist (404).
struct ReviewController {
    let scorecards: ScorecardStore
    let reviews: ReviewStore
    let codes: ReferenceCodesCache

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/reports/providers/{id}") { _, context -> ProviderScorecard in
            try context.require(.readReports)
            let id = try context.parameters.requireID("id")
            guard let scorecard = try await scorecards.scorecard(of: id) else { throw Problem.notFound("No provider has id \(id).") }
            return scorecard
        }
        group.post("/providers/{id}/reviews") { request, context -> EditedResponse<ProviderReview> in
            let id = try context.parameters.requireID("id")
            try context.require(.reviewProvider(.keep))
            let draft = try await request.decodeDraft(NewReview.self, context: context, codes: codes)
            try context.require(.reviewProvider(draft.decision))
            return EditedResponse(status: .created, response: try await reviews.review(id, draft, actor: context.identity))
        }
        group.get("/providers/{id}/reviews") { _, context -> Items<ProviderReview> in
            let id = try context.parameters.requireID("id")
            _ = try context.signedIn()
            guard Policy.decide(context.identity, .readReviews(providerID: id)) == .allowed else {
                throw Problem.notFound("No provider has id \(id).")
            }
            return Items(items: try await reviews.list(providerID: id))
        }
        group.post("/reviews/{id}/answer") { request, context -> ProviderReview in
            let id = try context.parameters.requireID("id")
            _ = try context.signedIn()
            guard let review = try await reviews.find(id),
                Policy.decide(context.identity, .readReviews(providerID: review.providerID)) == .allowed
            else { throw Problem.notFound("No review has id \(id).") }
            try context.require(.answerReview(providerID: review.providerID))
            let text = try await request.decodeDraft(ReviewAnswer.self, context: context, codes: codes)
            return try await reviews.answer(id, text, actor: context.identity)
        }
    }
}

extension ProviderScorecard: ResponseEncodable {}
extension ProviderReview: ResponseEncodable {}
