import Foundation

/// One of the community's own targets and what the work achieved, in their words:
/// "cattle gain 40 kg in 90 days" — "35 kg, the dry season came early".
public struct RatingTarget: Sendable, Codable, Equatable {
    public var target: String
    public var achieved: String

    public init(target: String, achieved: String) {
        self.target = target
        self.achieved = achieved
    }
}

/// `POST /v1/contracts/{id}/rating`: the contracting organisation judges the finished work.
public struct NewRating: CheckedInput {
    public var technical: Int
    public var communication: Int
    public var punctuality: Int
    public var results: Int
    public var wouldHireAgain: Bool?
    public var comment: String?
    public var targets: [RatingTarget]?

    public init(
        technical: Int, communication: Int, punctuality: Int, results: Int, wouldHireAgain: Bool? = nil, comment: String? = nil,
        targets: [RatingTarget]? = nil
    ) {
        self.technical = technical
        self.communication = communication
        self.punctuality = punctuality
        self.results = results
        self.wouldHireAgain = wouldHireAgain
        self.comment = comment
        self.targets = targets
    }

    public func checked(against codes: ReferenceCodes) throws -> RatingDraft {
        var check = Validator()
        for (field, score) in [
            ("technical", technical), ("communication", communication), ("punctuality", punctuality), ("results", results),
        ] {
            check((1...5).contains(score), field, "must be 1 to 5")
        }
        let comment = comment?.trimmed
        check((comment?.count ?? 0) <= 2000, "comment", "must be at most 2,000 characters")
        let targets = (targets ?? []).map { RatingTarget(target: $0.target.trimmed, achieved: $0.achieved.trimmed) }
        check(targets.count <= 50, "targets", "at most 50 targets")
        for (index, target) in targets.enumerated() {
            check((1...500).contains(target.target.count), "targets[\(index)].target", "must be 1 to 500 characters")
            check(target.achieved.count <= 2000, "targets[\(index)].achieved", "must be at most 2,000 characters")
        }
        try check.finish()
        return RatingDraft(
            technical: technical, communication: communication, punctuality: punctuality, results: results, wouldHireAgain: wouldHireAgain,
            comment: comment?.isEmpty == true ? nil : comment, targets: targets)
    }
}

public struct RatingDraft: Sendable {
    public let technical: Int
    public let communication: Int
    public let punctuality: Int
    public let results: Int
    public let wouldHireAgain: Bool?
    public let comment: String?
    public let targets: [RatingTarget]
}

/// `PATCH /v1/contracts/{id}/rating` (staff): hide an abusive comment, saying why. The
/// scores are never changed.
public struct RatingCommentHiding: CheckedInput {
    public var commentHiddenReason: String

    public init(commentHiddenReason: String) {
        self.commentHiddenReason = commentHiddenReason
    }

    public func checked(against codes: ReferenceCodes) throws -> String {
        try Validator.text(commentHiddenReason, "comment_hidden_reason", 3...2000, "say why, in 3 to 2,000 characters")
    }
}

public struct Rating: Sendable, Codable, Equatable {
    public var contractID: UUID
    public var providerID: UUID
    public var organizationID: UUID
    public var technical: Int
    public var communication: Int
    public var punctuality: Int
    public var results: Int
    public var wouldHireAgain: Bool?
    /// Absent once staff hid it.
    public var comment: String?
    public var targets: [RatingTarget]
    public var commentHiddenReason: String?
    public var commentHiddenAt: Date?
    public var ratedBy: UUID?
    public var createdAt: Date

    public init(
        contractID: UUID, providerID: UUID, organizationID: UUID, technical: Int, communication: Int, punctuality: Int, results: Int,
        wouldHireAgain: Bool?, comment: String?, targets: [RatingTarget], commentHiddenReason: String?, commentHiddenAt: Date?,
        ratedBy: UUID?, createdAt: Date
    ) {
        self.contractID = contractID
        self.providerID = providerID
        self.organizationID = organizationID
        self.technical = technical
        self.communication = communication
        self.punctuality = punctuality
        self.results = results
        self.wouldHireAgain = wouldHireAgain
        self.comment = commentHiddenAt == nil ? comment : nil
        self.targets = targets
        self.commentHiddenReason = commentHiddenReason
        self.commentHiddenAt = commentHiddenAt
        self.ratedBy = ratedBy
        self.createdAt = createdAt
    }
}

/// A provider's ratings as anyone may read them: how many, the plain average over all four
/// dimensions and per dimension, the share who would hire again, and the score: the
/// Bayesian average the shortlist ranks by (`RatingPrior`), so that one 5 does not outrank
/// twenty 4.6s.
public struct RatingSummary: Sendable, Codable, Equatable {
    public struct Dimensions: Sendable, Codable, Equatable {
        public var technical: Double?
        public var communication: Double?
        public var punctuality: Double?
        public var results: Double?
    }

    public var count: Int
    public var average: Double?
    public var score: Double
    public var dimensions: Dimensions
    /// Of the ratings that answered the question.
    public var wouldHireAgainShare: Double?

    /// From the sums of each dimension's scores over `count` ratings, and the yes and no
    /// answers to "would you hire them again".
    public init(count: Int, technical: Int, communication: Int, punctuality: Int, results: Int, hireAgainYes: Int, hireAgainNo: Int) {
        func mean(_ sum: Int) -> Double? { count == 0 ? nil : (Double(sum) / Double(count)).rounded(toPlaces: 1) }
        self.count = count
        // Each rating's own mean over its four dimensions, summed: what the ranking adds up.
        let sumOfMeans = Double(technical + communication + punctuality + results) / 4
        average = count == 0 ? nil : (sumOfMeans / Double(count)).rounded(toPlaces: 1)
        score = RatingPrior.bayesianAverage(sum: sumOfMeans, count: count).rounded(toPlaces: 1)
        dimensions = Dimensions(
            technical: mean(technical), communication: mean(communication), punctuality: mean(punctuality), results: mean(results))
        let answered = hireAgainYes + hireAgainNo
        wouldHireAgainShare = answered == 0 ? nil : (Double(hireAgainYes) / Double(answered)).rounded(toPlaces: 2)
    }
}
