import Foundation

/// What the shortlist weighs, each factor valued 0…1 by the matching query.
public enum MatchFactor: String, Sendable, Codable, CaseIterable {
    /// Mean over the required skills of the provider's level in it (level / 4; 0 without it).
    case skills
    /// Best speaking level (/ 4) in a required language; another variety of the same
    /// macrolanguage counts `MatchRules.otherVarietyFactor` of it.
    case language
    /// 1 at the work district, falling linearly to 0 at `MatchRules.distanceScaleKm`.
    case distance
    /// Bayesian average of the provider's ratings, mapped from 1…5 to 0…1.
    case rating
    /// Completed contracts n as n / (n + 3): the first ones count most.
    case experience
    /// 1 when daily rate × days fits the budget, else budget / cost.
    case cost
    /// When the work asks the technician to live in the community: 1 if willing, else 0.
    case liveIn = "live_in"
    /// The buyer's preferred gender, if any: 1 when it matches. A preference, never a filter.
    case gender
}

/// The weights of the shortlist, in one place. They add up to 1, so a score is 0…100.
public enum MatchWeights {
    public static let standard: [MatchFactor: Double] = [
        .skills: 0.28, .language: 0.20, .distance: 0.15, .rating: 0.15,
        .experience: 0.10, .cost: 0.07, .liveIn: 0.03, .gender: 0.02,
    ]
}

/// Constants of the factor formulas that the matching query receives as parameters.
public enum MatchRules {
    public static let otherVarietyFactor = 0.6
    public static let distanceScaleKm = 150.0
    public static let experienceHalfPoint = 3.0
    /// The lowest speaking level that counts as speaking a language (hard rule). SQL/0006
    /// writes it as a constant into `match_profiles`; a MatchStoreTests case checks they agree.
    public static let minimumSpeaking = 2
}

/// Ratings are 1–5 per dimension; a provider's average is pulled toward the prior by
/// `strength` imaginary ratings of `mean`, so one 5-star rating does not outrank twenty 4.6s.
public enum RatingPrior {
    public static let mean = 3.5
    public static let strength = 5.0

    public static func bayesianAverage(sum: Double, count: Int) -> Double {
        (strength * mean + sum) / (strength + Double(count))
    }
}

/// One line of the explanation a community reads: a code and its figures, which the reader's
/// language turns into words (`reason.<code>` in the server's translation tables), so the
/// domain writes no sentence in any one language.
public struct MatchReason: Sendable, Codable, Equatable {
    public var factor: MatchFactor
    /// 0…1, as the query valued it.
    public var value: Double
    public var weight: Double
    /// value × weight × 100: what this factor adds to the score.
    public var points: Double
    /// Which sentence explains the value, e.g. `skills_some` or `cost_above`.
    public var code: String
    /// The figures and codes the sentence names: skill and language codes, kilometres,
    /// céntimos, counts; as text, so every language formats them its own way.
    public var params: [String: String]
    /// The sentence in the reader's language, set by whoever knows the reader.
    public var note: String?

    public init(factor: MatchFactor, value: Double, weight: Double, points: Double, code: String, params: [String: String] = [:]) {
        self.factor = factor
        self.value = value
        self.weight = weight
        self.points = points
        self.code = code
        self.params = params
    }

    /// As people read it: `value` to 0.01, `points` to 0.1 (the exact figures stay here).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(factor, forKey: .factor)
        try container.encode(value.rounded(toPlaces: 2), forKey: .value)
        try container.encode(weight, forKey: .weight)
        try container.encode(points.rounded(toPlaces: 1), forKey: .points)
        try container.encode(code, forKey: .code)
        try container.encode(params, forKey: .params)
        try container.encodeIfPresent(note, forKey: .note)
    }
}

extension Double {
    /// Rounded to `places` decimals, for output: 0.1 km, 0.1 points, 0.01 of a value.
    public func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}

/// The raw figures behind the values, for notes people can read.
public struct MatchFacts: Sendable {
    public var values: [MatchFactor: Double]
    public var coveredSkills: [String]
    public var missingSkills: [String]
    public var bestLanguage: String?
    public var bestSpeaking: Int
    public var exactVariety: Bool
    public var distanceKm: Double
    public var ratingCount: Int
    public var ratingAverage: Double
    public var completedContracts: Int
    public var costCents: Int64
    public var budgetCents: Int64
    public var mustLiveInCommunity: Bool
    public var willLiveInCommunity: Bool
    public var preferredGender: Gender?
    public var gender: Gender

    public init(
        values: [MatchFactor: Double], coveredSkills: [String], missingSkills: [String], bestLanguage: String?, bestSpeaking: Int,
        exactVariety: Bool, distanceKm: Double, ratingCount: Int, ratingAverage: Double, completedContracts: Int, costCents: Int64,
        budgetCents: Int64, mustLiveInCommunity: Bool, willLiveInCommunity: Bool, preferredGender: Gender?, gender: Gender
    ) {
        self.values = values
        self.coveredSkills = coveredSkills
        self.missingSkills = missingSkills
        self.bestLanguage = bestLanguage
        self.bestSpeaking = bestSpeaking
        self.exactVariety = exactVariety
        self.distanceKm = distanceKm
        self.ratingCount = ratingCount
        self.ratingAverage = ratingAverage
        self.completedContracts = completedContracts
        self.costCents = costCents
        self.budgetCents = budgetCents
        self.mustLiveInCommunity = mustLiveInCommunity
        self.willLiveInCommunity = willLiveInCommunity
        self.preferredGender = preferredGender
        self.gender = gender
    }
}

public enum MatchExplanation {
    /// The score (0…100) and one reason per factor; the reasons' points add up to the score.
    public static func explain(_ facts: MatchFacts, weights: [MatchFactor: Double] = MatchWeights.standard) -> (
        score: Double, reasons: [MatchReason]
    ) {
        let reasons = MatchFactor.allCases.map { factor in
            let value = facts.values[factor] ?? 0, weight = weights[factor] ?? 0
            let (code, params) = sentence(factor, facts)
            return MatchReason(factor: factor, value: value, weight: weight, points: value * weight * 100, code: code, params: params)
        }
        return (reasons.reduce(0) { $0 + $1.points }, reasons)
    }

    /// Which sentence explains `factor`, with the figures it names.
    static func sentence(_ factor: MatchFactor, _ facts: MatchFacts) -> (code: String, params: [String: String]) {
        switch factor {
        case .skills:
            let level = ((facts.values[.skills] ?? 0) * 4).fixed(1)
            let covered = facts.coveredSkills.joined(separator: ","), missing = facts.missingSkills.joined(separator: ",")
            if facts.missingSkills.isEmpty { return ("skills_all", ["skills": covered, "level": level]) }
            if facts.coveredSkills.isEmpty { return ("skills_none", ["missing": missing]) }
            return ("skills_some", ["skills": covered, "missing": missing, "level": level])
        case .language:
            guard let language = facts.bestLanguage else { return ("language_none", [:]) }
            return (facts.exactVariety ? "language_exact" : "language_variety", ["language": language, "level": "\(facts.bestSpeaking)"])
        case .distance:
            return ("distance", ["km": facts.distanceKm.fixed(0)])
        case .rating:
            let prior = RatingPrior.mean.fixed(1)
            guard facts.ratingCount > 0 else { return ("rating_none", ["prior": prior]) }
            return (
                "rating_average", ["average": facts.ratingAverage.fixed(1), "count": "\(facts.ratingCount)", "prior": prior]
            )
        case .experience:
            return facts.completedContracts == 0 ? ("experience_none", [:]) : ("experience", ["count": "\(facts.completedContracts)"])
        case .cost:
            let figures = ["cost": "\(facts.costCents)", "budget": "\(facts.budgetCents)"]
            return (facts.costCents <= facts.budgetCents ? "cost_fits" : "cost_above", figures)
        case .liveIn:
            guard facts.mustLiveInCommunity else { return ("live_in_not_asked", [:]) }
            return (facts.willLiveInCommunity ? "live_in_willing" : "live_in_unwilling", [:])
        case .gender:
            guard let preferred = facts.preferredGender else { return ("gender_none", [:]) }
            return ((facts.gender == preferred ? "gender_match_" : "gender_other_") + preferred.rawValue, [:])
        }
    }
}

extension MatchReason: JSONTextWritable {
    public func write(to json: inout JSONText) {
        json.object { json in
            json.key("code")
            json.string(code)
            json.key("factor")
            json.string(factor.rawValue)
            if let note {
                json.key("note")
                json.string(note)
            }
            json.key("params")
            json.object { json in
                for key in params.keys.sorted() {
                    json.key(key)
                    json.string(params[key] ?? "")
                }
            }
            json.key("points")
            json.double(points.rounded(toPlaces: 1))
            json.key("value")
            json.double(value.rounded(toPlaces: 2))
            json.key("weight")
            json.double(weight)
        }
    }
}
