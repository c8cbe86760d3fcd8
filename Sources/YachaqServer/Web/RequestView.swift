import Foundation
import YachaqDomain
import YachaqStore

/// The buyer's home: their requests and contracts, and staff's links.
struct HomeView: PageView {
    let buyer: Bool
    let staff: Bool
    let requests: [RequestLine]
    let contracts: [ContractLine]
}

/// A request in a list.
struct RequestLine: PageValues {
    let id: String
    let title: String
    let status: String
    let dates: String
    let budget: String
    let skills: String

    init(_ request: ServiceRequest, _ words: PageWords) {
        (id, title) = (request.id.page, request.title)
        status = words("status.request.\(request.status.rawValue)")
        dates = words.dates(request.startsOn, request.endsOn)
        budget = words.money(request.budgetCents)
        skills = request.skills.map(words.skill).joined(separator: ", ")
    }
}

/// A request with what every view of it shows; the buyer's page adds its applications, the
/// shortlist and the way to end it, the technician's their own application.
struct RequestView: PageView {
    let id: String
    /// `id` again, for sections whose rows have an `id` of their own (an application, a card).
    let requestId: String
    let title: String
    let status: String
    let open: Bool
    let dates: String
    let budget: String
    let place: String?
    let skills: String
    let languages: String
    let families: Int?
    let livesIn: Bool
    let description: String?
    var errors: [String: String] = [:]
    var canEnd = false
    /// Open, and the reader's to change.
    var canEdit = false
    var typedReason = ""
    var applications: [ApplicationLine] = []
    var contracts: [ContractLine] = []
    var shortlist: [ProviderCard] = []
    /// The technician's application to it, if any.
    var application: OwnApplication?

    struct OwnApplication: PageValues {
        let id: String
        let status: String
        let canWithdraw: Bool
        /// An invitation not yet answered, still open to an answer.
        var canAnswer = false
        /// The answer given, in words.
        var answer: String?
    }

    init(_ found: ServiceRequest, _ words: PageWords) {
        (id, requestId, title) = (found.id.page, found.id.page, found.title)
        status = words("status.request.\(found.status.rawValue)")
        open = found.status == .open
        dates = words.dates(found.startsOn, found.endsOn)
        budget = words.money(found.budgetCents)
        place = Ubigeo(found.ubigeo).flatMap { words.reference.district($0) }.map { "\($0.district), \($0.province), \($0.department)" }
        skills = found.skills.map(words.skill).joined(separator: ", ")
        languages = found.languages.map(words.languageName).joined(separator: ", ")
        (families, livesIn) = (found.families, found.mustLiveInCommunity)
        description = found.description.isEmpty ? nil : found.description
    }
}

/// An application on its request's page, with the steps the buyer can take on it; `open`
/// when the request is still open (once the assembly chose, nobody else can be chosen).
struct ApplicationLine: PageValues {
    struct Interview: PageValues {
        let heldOn: String
        let panel: String
        let notes: String
    }

    let id: String
    let providerId: String
    let name: String
    let status: String
    let invited: Bool
    let selectLabel: String
    let canInterview: Bool
    let canSelect: Bool
    let canReject: Bool
    let selected: Bool
    let interview: Interview?
    let reason: String?
    /// A refused step's messages and what was typed, with its form open.
    var errors: [String: String] = [:]
    var typed: [String: String] = [:]
    var openInterview = false
    var openReject = false

    init(_ application: JobApplication, name: String, gender: Gender?, open: Bool, _ words: PageWords) {
        let status = application.status
        // Invited and not yet answered is not "applied": the technician did not ask.
        let shown = status == .applied && application.invited ? "invited" : status.rawValue
        (id, providerId, self.name) = (application.id.page, application.providerID.page, name)
        self.status = words.gendered("status.application.\(shown)", gender)
        invited = application.invited
        selectLabel = words("request.select", ["name": name])
        canInterview = [.applied, .shortlisted].contains(status)
        canSelect = open && status.canMove(to: .selected)
        canReject = status.canMove(to: .rejected)
        selected = status == .selected
        interview = application.interview.map { Interview(heldOn: words.date($0.heldOn), panel: $0.panel, notes: $0.notes) }
        reason = application.reason
    }
}

/// The form to post a request, as typed, with the places found and the choices checked.
struct RequestFormView: PageView {
    /// Where the form goes: a new request, or the changes to one.
    let action: String
    let heading: String
    let submit: String
    let typed: [String: String]
    let errors: [String: String]
    let skills: [Choice]
    let spoken: [Choice]
    let districts: [DistrictChoice]
    let genders: [Choice]
    let livesIn: Bool
}

/// The call to read on the local radio, in Spanish and Quechua.
struct RadioView: PageView {
    struct Announcement: PageValues {
        let language: String
        let code: String
        let text: String
    }
    let id: String
    let announcements: [Announcement]
}

/// Open requests within the technician's travel radius.
struct OpportunitiesView: PageView {
    let requests: [RequestLine]
    let radius: Int
}
