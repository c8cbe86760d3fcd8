import Foundation
import YachaqDomain
import YachaqStore

// The pieces several pages show, as their templates read them.

/// One option of a form's list: a select's option, a checkbox, a radio button.
struct Choice: PageValues {
    let code: String
    let name: String
    var checked = false
}

/// A level from 0 to 4 with its name, as the forms offer it.
struct LevelChoice: PageValues {
    let level: Int
    let name: String
    var checked = false
}

/// A place among those a form's search found.
struct DistrictChoice: PageValues {
    let ubigeo: String
    let name: String
    let checked: Bool
}

/// A technician as a card; the profile page shows more of the same.
struct ProviderCard: PageValues {
    struct Spoken: PageValues {
        let name: String
        let speaking: Int
        let reading: Int
        let writing: Int
        let level: String
    }
    struct Known: PageValues {
        let name: String
        let level: Int
        let years: Int
    }
    /// A line of a shortlist's "why": the reason and the points it gave.
    struct Reason: PageValues {
        let text: String
        let points: String
    }

    let id: String
    let name: String
    let kind: String
    let rate: String
    let radius: Int
    let livesIn: Bool
    let languages: [Spoken]
    let skills: [Known]
    let bio: String?
    var rating: String?
    /// How far from the place searched, or from the request's district.
    var distance: String?
    /// On a shortlist: the score out of 100, its reasons, and whether already invited.
    var score: String?
    var reasons: [Reason] = []
    var invited = false
}

/// A contract in a list: home pages and the scorecard.
struct ContractLine: PageValues {
    let id: String
    let title: String
    let status: String
    let dates: String
    let amount: String
    let paid: String

    init(_ contract: Contract, _ words: PageWords) {
        id = contract.id.page
        title = contract.title
        status = words("status.contract.\(contract.status.rawValue)")
        dates = words.dates(contract.startsOn, contract.endsOn)
        amount = words.money(contract.amountCents)
        paid = words.money(contract.paidCents)
    }
}

/// A rating's four scores and its comment.
struct RatingLine: PageValues {
    let title: String
    let technical: Int
    let communication: Int
    let punctuality: Int
    let results: Int
    let comment: String?

    init(_ rating: Rating, title: String) {
        self.title = title
        (technical, communication, punctuality, results) = (rating.technical, rating.communication, rating.punctuality, rating.results)
        comment = rating.comment
    }
}

/// Staff's review of a technician, with the technician's answer or the form to write it.
struct ReviewLine: PageValues {
    let id: String
    let from: String
    let to: String
    let summary: String
    let decision: String
    let reason: String?
    let training: String?
    let answer: String?
    /// The technician may still answer; `errors` are their refused answer's.
    var canAnswer = false
    var errors: [String: String] = [:]

    init(_ review: ProviderReview, _ words: PageWords) {
        id = review.id.page
        from = words.date(review.periodFrom)
        to = words.date(review.periodTo)
        summary = review.summary
        decision = words("decision.\(review.decision.rawValue)")
        (reason, training, answer) = (review.reason, review.training, review.answer)
    }
}

/// Someone who trained the technician or was trained by them, `depth` steps away.
struct LineageLine: PageValues {
    let id: String
    let name: String
    let skill: String
    let on: String
    let depth: Int

    init(_ edge: LineageEdge, _ words: PageWords) {
        (id, name, depth) = (edge.provider.id.page, edge.provider.fullName, edge.depth)
        skill = words.skill(edge.skill)
        on = words.date(edge.heldOn)
    }
}

/// A figure with its name, and what it means.
struct Figure: PageValues {
    let name: String
    let value: String
    var definition: String?
}

/// A chart with its title shown above it (the drawing's own `<title>` is for screen readers),
/// and what its figures mean.
struct ChartView: PageValues {
    let title: String
    let svg: String
    var definition: String?
}
