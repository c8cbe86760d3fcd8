import Foundation
import Logging
import YachaqDomain
import YachaqStore

/// The market part of the demo: Chillihuani's open request with three technicians invited
/// from its shortlist (for the README's walk from the choice to the contract), a contract of
/// last season completed, paid and rated, and the municipality's running contract, half paid.
struct DemoMarket {
    let database: Database
    let logger: Logger
    let codes: ReferenceCodes

    func run(agency: Organization, municipality: Organization, community: Organization) async throws {
        let requests = ServiceRequestStore(database: database, logger: logger)
        let applications = JobApplicationStore(database: database, logger: logger)
        let matches = MatchStore(database: database, logger: logger)
        let contracts = ContractStore(database: database, logger: logger)
        let payments = PaymentStore(database: database, logger: logger)

        func post(
            _ title: String, skill: String, from: String, to: String, budget: Int64, families: Int, by buyer: Organization? = nil
        ) async throws -> ServiceRequest {
            let input = NewServiceRequest(
                title: title, skills: [skill], languages: ["quz"], ubigeo: community.ubigeo, startsOn: from, endsOn: to,
                budgetCents: budget, exclusive: true, families: families)
            return try await requests.create(try input.checked(against: codes), organizationID: (buyer ?? community).id, actor: nil)
        }
        func invite(_ request: ServiceRequest, count: Int) async throws -> [JobApplication] {
            var invited: [JobApplication] = []
            for match in try await matches.shortlist(request: request.id, limit: count) {
                let draft = try NewJobApplication(providerID: match.provider.id).checked(against: codes)
                invited.append(try await applications.apply(requestID: request.id, draft, invited: true, actor: nil))
            }
            return invited
        }
        func move(_ contract: Contract, through steps: [String]) async throws -> Contract {
            var contract = contract
            for step in steps {
                contract = try await contracts.transition(
                    contract.id, try ContractTransitionInput(to: step).checked(against: codes), actor: nil)
            }
            return contract
        }
        func pay(_ contract: Contract, _ cents: Int64, by payer: Organization, on day: String, method: String) async throws {
            let draft = try NewPayment(amountCents: cents, paidOn: day, method: method, payerOrganizationID: payer.id).checked(
                against: codes)
            _ = try await payments.record(draft, on: contract.id, today: PeruToday.system(), idempotency: nil, actor: nil)
        }
        func share(_ organization: Organization, _ kind: FundingKind, _ cents: Int64) -> FundingInput {
            FundingInput(sourceOrganizationID: organization.id, kind: kind.rawValue, amountCents: cents)
        }

        // Open: the README's walk selects one of these three and contracts them.
        let open = try await post(
            "Riego por aspersión para 40 familias", skill: "water.sprinkler", from: "2027-03-01", to: "2027-04-30", budget: 600_000,
            families: 40)
        _ = try await invite(open, count: 3)

        // Last season: qochas dug, 70 % public transfer and 30 % the community's cash, all paid.
        let past = try await post(
            "Cosecha de agua: qochas", skill: "water.harvesting", from: "2026-04-01", to: "2026-05-31", budget: 450_000,
            families: 25)
        if let chosen = try await invite(past, count: 1).first {
            _ = try await applications.change(
                chosen.id, try JobApplicationChange(status: "selected").checked(against: codes), actor: nil)
            let input = NewContract(
                applicationID: chosen.id, scope: "Tres qochas con sus zanjas de infiltración",
                funding: [share(agency, .publicTransfer, 315_000), share(community, .counterpartCash, 135_000)],
                milestones: [MilestoneInput(title: "Primera qocha llena", dueOn: "2026-05-15")])
            let prefill = try await contracts.prefill(requestID: nil, applicationID: chosen.id)
            var contract = try await contracts.create(
                try input.checked(against: codes).resolved(with: prefill, buyer: nil), actor: nil)
            contract = try await move(contract, through: ["signed", "active"])
            try await pay(contract, 135_000, by: community, on: "2026-04-02", method: "cash")
            try await pay(contract, 315_000, by: agency, on: "2026-06-05", method: "banco_de_la_nacion")
            let met = try MilestoneChange(status: "met", on: "2026-05-12", note: "Llena con las lluvias de mayo").checked(against: codes)
            contract = try await contracts.judge(milestone: contract.milestones[0].id, of: contract.id, met, actor: nil)
            _ = try await move(contract, through: ["completed"])
            let rating = NewRating(
                technical: 5, communication: 5, punctuality: 4, results: 4, wouldHireAgain: true,
                comment: "Nos explicó todo en quechua y trabajó con las familias.",
                targets: [RatingTarget(target: "Tres qochas llenas antes de junio", achieved: "Tres qochas; la tercera llena a medias")])
            _ = try await RatingStore(database: database, logger: logger).rate(contract.id, try rating.checked(against: codes), actor: nil)
        }

        // Running: the municipality hires, for its request, a technician it knows (no call for
        // applications); the community lodges them, its counterpart in kind. Signing awards the request.
        let terraces = try await post(
            "Terrazas de formación lenta en Chillihuani", skill: "nrm.soil_conservation", from: "2026-10-01", to: "2027-01-31",
            budget: 900_000, families: 60, by: municipality)
        if let known = try await matches.shortlist(request: terraces.id, limit: 1).first {
            let input = NewContract(
                requestID: terraces.id, providerID: known.provider.id,
                funding: [share(municipality, .municipal, 800_000), share(community, .counterpartInKind, 100_000)])
            let prefill = try await contracts.prefill(requestID: terraces.id, applicationID: nil)
            let contract = try await move(
                try await contracts.create(try input.checked(against: codes).resolved(with: prefill, buyer: nil), actor: nil),
                through: ["signed", "active"])
            try await pay(contract, 400_000, by: municipality, on: "2026-10-05", method: "bank_transfer")
            try await pay(contract, 50_000, by: community, on: "2026-11-30", method: "in_kind")
        }
    }
}
