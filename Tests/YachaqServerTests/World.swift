import Foundation
import HummingbirdBcrypt
import PostgresNIO
import YachaqDomain
import YachaqStore
import YachaqTestSupport

/// Who makes a request in the access tests: nobody, or a signed-in user of each role.
enum Caller: String, CaseIterable, Sendable {
    case anonymous, admin, staff, municipality, community, provider
}

/// A small world on a fresh database: two communities, a municipality and an agency, three
/// providers (the provider user's own unpublished profile, another published one with a
/// DNI, another unpublished one) and one signed-in user of each role (the community user
/// belongs to community A).
struct World: Sendable {
    let endpoint: DatabaseEndpoint
    let communityA: Organization
    let communityB: Organization
    let municipality: Organization
    let agency: Organization
    let ownProvider: Provider
    let publishedProvider: Provider
    let unpublishedProvider: Provider
    /// Open requests of community A and community B.
    let requestA: ServiceRequest
    let requestB: ServiceRequest
    /// The published provider's application to request A; the provider user's to request B.
    let applicationA: JobApplication
    let ownApplication: JobApplication
    /// Community A's signed contract with the published provider (70 % public transfer from
    /// the agency, 30 % the community's cash, one milestone); community B's draft contract
    /// with the provider user's profile.
    let contractA: Contract
    let contractB: Contract
    /// Community A's contract of last season with the published provider: completed, rated.
    let completedA: Contract
    /// Staff's review of the provider user's profile (keep).
    let reviewOfOwn: ProviderReview
    let users: [Caller: User]
    let tokens: [Caller: String]

    static let password = "fixture password 2026"
    /// The day it is in this world: its contracts run in 2027, and their payments are dated
    /// then, so the server is told that 2027 has happened (a payment is never dated after today).
    static let today: CalendarDate = {
        guard let day = CalendarDate("2027-12-31") else { preconditionFailure("2027-12-31 is a day") }
        return day
    }()
    /// One bcrypt hash (cost 12) for every fixture user: hashing is tested on its own, and
    /// re-hashing per user would only slow the suite.
    static let passwordHash = Bcrypt.hash(password, cost: 12)

    static func make() async throws -> World {
        let endpoint = try await TestDatabase.fresh()
        return try await TestDatabase.withClient(endpoint) { client in
            let organizations = OrganizationStore(database: client, logger: TestDatabase.logger)
            let usersStore = UserStore(database: client, logger: TestDatabase.logger)
            let sessions = SessionStore(database: client, logger: TestDatabase.logger)
            func organization(_ name: String, _ kind: String, _ ubigeo: String) async throws -> Organization {
                try await organizations.create(
                    try await NewOrganization(name: name, kind: kind, ubigeo: ubigeo).draft(on: client), actor: nil)
            }
            let communityA = try await organization("Comunidad Campesina Chillihuani", "community", "081206")
            let communityB = try await organization("Comunidad Campesina Tupac Amaru", "community", "210101")
            let municipality = try await organization("Municipalidad Distrital de Ocongate", "municipality", "081205")
            let agency = try await organization("Proyecto Sierra Sur", "agency", "080101")
            let providers = ProviderStore(database: client, logger: TestDatabase.logger)
            func provider(_ name: String, published: Bool, dni: String) async throws -> Provider {
                try await providers.create(
                    ProviderInput(
                        fullName: name, kind: "yachachiq", gender: "female", nationalID: dni, phone: "984000111", homeUbigeo: "081206",
                        dailyRateCents: 7000, travelRadiusKm: 40,
                        languages: [ProviderLanguage(code: "quz", speaking: 4, understanding: 4, reading: 2, writing: 2)],
                        skills: [ProviderSkill(code: "camelids.fibre", level: 3, years: 6)], consentToPublish: published
                    ).draft(on: client), actor: nil)
            }
            let ownProvider = try await provider("Sabina Ccama Huillca", published: false, dni: "40000001")
            let publishedProvider = try await provider("Eusebia Quispe Mamani", published: true, dni: "40000002")
            let unpublishedProvider = try await provider("Justina Layme Pari", published: false, dni: "40000003")
            let memberships: [Caller: UUID?] = [
                .admin: nil, .staff: agency.id, .municipality: municipality.id, .community: communityA.id, .provider: nil,
            ]
            var users: [Caller: User] = [:]
            var tokens: [Caller: String] = [:]
            for (caller, organization) in memberships {
                let user = try await usersStore.create(
                    NewUser(
                        login: "\(caller.rawValue)-user", password: password, role: caller.rawValue, organizationID: organization,
                        providerID: caller == .provider ? ownProvider.id : nil
                    ).checked(),
                    passwordHash: passwordHash, actor: nil
                )
                users[caller] = user
                tokens[caller] = try await sessions.create(userID: user.id, lifetime: .seconds(3600)).token
            }
            let requests = ServiceRequestStore(database: client, logger: TestDatabase.logger)
            func request(_ organization: Organization, _ title: String) async throws -> ServiceRequest {
                try await requests.create(
                    NewServiceRequest(
                        title: title, skills: ["camelids.fibre"], languages: ["que"], ubigeo: organization.ubigeo,
                        startsOn: "2027-03-01", endsOn: "2027-04-30", budgetCents: 500_000
                    ).draft(on: client), organizationID: organization.id, actor: nil)
            }
            let requestA = try await request(communityA, "Esquila y clasificación de fibra")
            let requestB = try await request(communityB, "Sanidad de alpacas")
            let applications = JobApplicationStore(database: client, logger: TestDatabase.logger)
            let applicationA = try await applications.apply(
                requestID: requestA.id, try await NewJobApplication(providerID: publishedProvider.id).draft(on: client), invited: false,
                actor: nil)
            let ownApplication = try await applications.apply(
                requestID: requestB.id, try await NewJobApplication(providerID: ownProvider.id).draft(on: client), invited: false,
                actor: nil)
            let contracts = ContractStore(database: client, logger: TestDatabase.logger)
            func contract(
                _ buyer: Organization, _ provider: Provider, from: String = "2027-05-01", to: String = "2027-05-31", funding: [FundingInput]
            ) async throws -> Contract {
                let input = NewContract(
                    organizationID: buyer.id, providerID: provider.id, title: "Esquila 2027", startsOn: from, endsOn: to,
                    amountCents: 300_000, funding: funding, milestones: [MilestoneInput(title: "Fibra clasificada", dueOn: "2027-05-31")])
                return try await contracts.create(try await input.draft(on: client).resolved(with: nil, buyer: nil), actor: nil)
            }
            let draftA = try await contract(
                communityA, publishedProvider,
                funding: [
                    FundingInput(sourceOrganizationID: agency.id, kind: "public_transfer", amountCents: 210_000),
                    FundingInput(sourceOrganizationID: communityA.id, kind: "counterpart_cash", amountCents: 90_000),
                ])
            let contractA = try await contracts.transition(
                draftA.id, try await ContractTransitionInput(to: "signed").draft(on: client), actor: nil)
            let contractB = try await contract(
                communityB, ownProvider,
                funding: [FundingInput(sourceOrganizationID: communityB.id, kind: "counterpart_cash", amountCents: 300_000)])
            var completedA = try await contract(
                communityA, publishedProvider, from: "2026-05-01", to: "2026-05-31",
                funding: [FundingInput(sourceOrganizationID: communityA.id, kind: "counterpart_cash", amountCents: 300_000)])
            for step in ["signed", "active", "completed"] {
                completedA = try await contracts.transition(
                    completedA.id, try await ContractTransitionInput(to: step).draft(on: client), actor: nil)
            }
            _ = try await RatingStore(database: client, logger: TestDatabase.logger).rate(
                completedA.id,
                try await NewRating(technical: 4, communication: 5, punctuality: 4, results: 4, comment: "Buen trabajo").draft(on: client),
                actor: nil)
            let reviewOfOwn = try await ReviewStore(database: client, logger: TestDatabase.logger).review(
                ownProvider.id,
                try await NewReview(periodFrom: "2026-01-01", periodTo: "2026-06-30", summary: "Cumple", decision: "keep").draft(
                    on: client),
                actor: nil)
            return World(
                endpoint: endpoint, communityA: communityA, communityB: communityB, municipality: municipality, agency: agency,
                ownProvider: ownProvider, publishedProvider: publishedProvider, unpublishedProvider: unpublishedProvider,
                requestA: requestA, requestB: requestB, applicationA: applicationA, ownApplication: ownApplication,
                contractA: contractA, contractB: contractB, completedA: completedA, reviewOfOwn: reviewOfOwn, users: users, tokens: tokens)
        }
    }

    /// A staff user of a new agency on `endpoint`, signed in: for tests on a cluster of their own.
    static func staffToken(on endpoint: DatabaseEndpoint) async throws -> String {
        try await TestDatabase.withClient(endpoint) { client in
            let agency = try await OrganizationStore(database: client, logger: TestDatabase.logger)
                .create(
                    try await NewOrganization(name: "Proyecto Sierra Sur", kind: "agency", ubigeo: "080101").draft(on: client), actor: nil)
            let user = try await UserStore(database: client, logger: TestDatabase.logger).create(
                NewUser(login: "staff-user", password: password, role: "staff", organizationID: agency.id).checked(),
                passwordHash: passwordHash, actor: nil)
            return try await SessionStore(database: client, logger: TestDatabase.logger).create(userID: user.id, lifetime: .seconds(3600))
                .token
        }
    }

    /// A new session for the caller's user, for tests that spend one (sign-out).
    func freshToken(_ caller: Caller) async throws -> String? {
        guard let user = users[caller] else { return nil }
        return try await TestDatabase.withClient(endpoint) { client in
            try await SessionStore(database: client, logger: TestDatabase.logger).create(userID: user.id, lifetime: .seconds(3600)).token
        }
    }

    /// Runs SQL against the world's database, for checks the API does not expose.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await TestDatabase.withClient(endpoint) { client in
            try await client.query(query).collect().first!.decode(Int.self)
        }
    }
}
