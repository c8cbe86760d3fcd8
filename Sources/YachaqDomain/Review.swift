import Foundation

/// What staff decide when they review a provider. Reviews advise; the communities choose:
/// only `suspend` (misconduct: fraud, abuse, a false identity; admin only, with a reason)
/// takes the provider out of matching, until an admin's `reinstate`.
public enum ReviewDecision: String, Sendable, Codable, CaseIterable {
    case keep
    case needsTraining = "needs_training"
    case suspend
    case reinstate

    /// Only administrators suspend and reinstate.
    public var needsAdmin: Bool { self == .suspend || self == .reinstate }
}

/// `POST /v1/providers/{id}/reviews`.
public struct NewReview: CheckedInput {
    public var periodFrom: String
    public var periodTo: String
    public var summary: String
    public var decision: String
    /// Required to suspend: the misconduct, for the provider to read and answer.
    public var reason: String?
    /// Required for `needs_training`: the training it points to.
    public var training: String?

    public init(periodFrom: String, periodTo: String, summary: String, decision: String, reason: String? = nil, training: String? = nil) {
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.summary = summary
        self.decision = decision
        self.reason = reason
        self.training = training
    }

    public func checked(against codes: ReferenceCodes) throws -> ReviewDraft {
        var check = Validator()
        let from = check.date(periodFrom, "period_from"), to = check.date(periodTo, "period_to")
        if let from, let to { check(to >= from, "period_to", "must not be before period_from") }
        let summary = summary.trimmed
        check((3...5000).contains(summary.count), "summary", "must be 3 to 5,000 characters")
        let decision = ReviewDecision(rawValue: decision)
        check(decision != nil, "decision", "must be keep, needs_training, suspend or reinstate")
        let reason = reason?.trimmed, training = training?.trimmed
        check((reason?.count ?? 0) <= 2000, "reason", "must be at most 2,000 characters")
        check((training?.count ?? 0) <= 2000, "training", "must be at most 2,000 characters")
        if decision == .suspend {
            check(!(reason ?? "").isEmpty, "reason", "a suspension states the misconduct, for the provider to answer")
        }
        if decision == .needsTraining { check(!(training ?? "").isEmpty, "training", "say which training the provider should take") }
        try check.finish()
        return ReviewDraft(
            periodFrom: from!, periodTo: to!, summary: summary, decision: decision!, reason: reason?.isEmpty == true ? nil : reason,
            training: training?.isEmpty == true ? nil : training)
    }
}

public struct ReviewDraft: Sendable {
    public let periodFrom: CalendarDate
    public let periodTo: CalendarDate
    public let summary: String
    public let decision: ReviewDecision
    public let reason: String?
    public let training: String?
}

/// `POST /v1/reviews/{id}/answer`: the provider's answer, kept beside the review.
public struct ReviewAnswer: CheckedInput {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public func checked(against codes: ReferenceCodes) throws -> String {
        try Validator.text(text, "text", 1...5000, "must be 1 to 5,000 characters")
    }
}

public struct ProviderReview: Sendable, Codable, Equatable {
    public var id: UUID
    public var providerID: UUID
    public var periodFrom: String
    public var periodTo: String
    public var summary: String
    public var decision: ReviewDecision
    public var reason: String?
    public var training: String?
    /// The figures the review was based on.
    public var scorecard: ProviderScorecard
    public var reviewerID: UUID?
    public var createdAt: Date
    public var answer: String?
    public var answeredAt: Date?

    public init(
        id: UUID, providerID: UUID, periodFrom: String, periodTo: String, summary: String, decision: ReviewDecision, reason: String?,
        training: String?, scorecard: ProviderScorecard, reviewerID: UUID?, createdAt: Date, answer: String?, answeredAt: Date?
    ) {
        self.id = id
        self.providerID = providerID
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.summary = summary
        self.decision = decision
        self.reason = reason
        self.training = training
        self.scorecard = scorecard
        self.reviewerID = reviewerID
        self.createdAt = createdAt
        self.answer = answer
        self.answeredAt = answeredAt
    }
}
