import Foundation
import YachaqDomain
import YachaqStore

/// Every write of Yachaq, and every read that decides who may see what, as one type per use
/// case. The API's controllers and the pages' handlers decode a request, call one of these and
/// render what it returns; neither calls a store to write. So a rule or a refusal is written
/// once: each action decides the policy on what it reads or locks (a record the caller may not
/// see is "not found", whichever door they came in by), and its store writes the audit row in
/// the same transaction.
public struct Actions: Sendable {
    public let readContract: ReadContract
    public let readContractFile: ReadContractFile
    public let listContracts: ListContracts
    public let contractPayments: ContractPayments
    public let contractRating: ContractRating
    public let prepareContract: PrepareContract
    public let createContract: CreateContract
    public let moveContract: MoveContract
    public let amendContract: AmendContract
    public let judgeMilestone: JudgeMilestone
    public let recordPayment: RecordPayment
    public let rateContract: RateContract
    public let hideRatingComment: HideRatingComment

    public let readRequest: ReadRequest
    public let listRequests: ListRequests
    public let listApplications: ListApplications
    public let ownApplication: OwnApplication
    public let shortlist: Shortlist
    public let postServiceRequest: PostServiceRequest
    public let moveServiceRequest: MoveServiceRequest
    public let editServiceRequest: EditServiceRequest
    public let applyToRequest: ApplyToRequest
    public let readApplication: ReadApplication
    public let changeApplication: ChangeApplication

    public let readProvider: ReadProvider
    public let providerLineage: ProviderLineage
    public let providerRatings: ProviderRatings
    public let searchProviders: SearchProviders
    public let listReviews: ListReviews
    public let readScorecard: ReadScorecard
    public let reviewProvider: ReviewProvider
    public let readIndicators: ReadIndicators
    public let countByDistrict: CountByDistrict
    public let searchDistricts: SearchDistricts
    public let listNeedsALook: ListNeedsALook
    public let exportProviderFigures: ExportProviderFigures
    public let exportOCDS: ExportOCDS
    public let answerReview: AnswerReview

    public let registerProvider: RegisterProvider
    public let updateProvider: UpdateProvider
    public let certifyProvider: CertifyProvider
    public let recordTraining: RecordTraining

    public let registerOrganization: RegisterOrganization
    public let editOrganization: EditOrganization
    public let disableOrganization: DisableOrganization
    public let createAccount: CreateAccount
    public let disableAccount: DisableAccount
    public let resetPassword: ResetPassword
    public let chooseLanguage: ChooseLanguage
    public let listAccounts: ListAccounts
    public let readOwnAccount: ReadOwnAccount
    public let listAudit: ListAudit
    public let readOrganization: ReadOrganization
    public let listOrganizations: ListOrganizations

    public let readContact: ReadContact
    public let changeContact: ChangeContact
    public let listNotifications: ListNotifications
    public let receiveSMS: ReceiveSMS
    public let recordSMSDelivery: RecordSMSDelivery
    public let refuseGatewayCall: RefuseGatewayCall
    public let listSMSOutbox: ListSMSOutbox
    public let retrySMS: RetrySMS
    public let answerInvitation: AnswerInvitation

    public let signIn: SignIn
    public let signOut: SignOut
    public let readSession: ReadSession

    /// Built once, by `buildRouter`, over the one set of stores. `hasher` checks the
    /// passwords of sign-ins; `sessionLifetime` is how long a sign-in lasts; `commonPasswords`
    /// are refused as a new password; `today` dates payments.
    public init(
        _ stores: Stores, hasher: PasswordHasher, sessionLifetime: Duration, commonPasswords: CommonPasswords, today: PeruToday = .system
    ) {
        let hashPassword: @Sendable (String) async throws -> String = { try await PasswordHasher.hash($0) }
        readContract = ReadContract(contracts: stores.contracts)
        readContractFile = ReadContractFile(contracts: stores.contracts)
        listContracts = ListContracts(contracts: stores.contracts)
        contractPayments = ContractPayments(contracts: stores.contracts, payments: stores.payments)
        contractRating = ContractRating(contracts: stores.contracts, ratings: stores.ratings)
        prepareContract = PrepareContract(contracts: stores.contracts, providers: stores.providers, organizations: stores.organizations)
        createContract = CreateContract(contracts: stores.contracts, providers: stores.providers)
        moveContract = MoveContract(contracts: stores.contracts)
        amendContract = AmendContract(contracts: stores.contracts)
        judgeMilestone = JudgeMilestone(contracts: stores.contracts)
        recordPayment = RecordPayment(payments: stores.payments, today: today)
        rateContract = RateContract(contracts: stores.contracts, ratings: stores.ratings)
        hideRatingComment = HideRatingComment(contracts: stores.contracts, ratings: stores.ratings)

        readRequest = ReadRequest(requests: stores.requests, organizations: stores.organizations)
        listRequests = ListRequests(requests: stores.requests)
        listApplications = ListApplications(requests: stores.requests, applications: stores.applications, providers: stores.providers)
        ownApplication = OwnApplication(applications: stores.applications)
        shortlist = Shortlist(matches: stores.matches)
        postServiceRequest = PostServiceRequest(requests: stores.requests)
        moveServiceRequest = MoveServiceRequest(requests: stores.requests)
        editServiceRequest = EditServiceRequest(requests: stores.requests)
        applyToRequest = ApplyToRequest(requests: stores.requests, applications: stores.applications)
        readApplication = ReadApplication(applications: stores.applications, providers: stores.providers)
        changeApplication = ChangeApplication(read: readApplication, applications: stores.applications)

        readProvider = ReadProvider(providers: stores.providers)
        providerLineage = ProviderLineage(read: readProvider, lineage: stores.lineage)
        providerRatings = ProviderRatings(read: readProvider, ratings: stores.ratings)
        searchProviders = SearchProviders(providers: stores.providers)
        listReviews = ListReviews(reviews: stores.reviews)
        readScorecard = ReadScorecard(scorecards: stores.scorecards)
        reviewProvider = ReviewProvider(reviews: stores.reviews)
        readIndicators = ReadIndicators(indicators: stores.indicators)
        countByDistrict = CountByDistrict(counts: stores.districtCounts)
        searchDistricts = SearchDistricts(reference: stores.reference)
        listNeedsALook = ListNeedsALook(needsALook: stores.needsALook)
        exportProviderFigures = ExportProviderFigures(figures: stores.figures)
        exportOCDS = ExportOCDS(ocds: stores.ocds)
        answerReview = AnswerReview(reviews: stores.reviews)

        registerProvider = RegisterProvider(providers: stores.providers)
        updateProvider = UpdateProvider(providers: stores.providers)
        certifyProvider = CertifyProvider(lineage: stores.lineage)
        recordTraining = RecordTraining(lineage: stores.lineage)

        registerOrganization = RegisterOrganization(organizations: stores.organizations)
        editOrganization = EditOrganization(organizations: stores.organizations)
        disableOrganization = DisableOrganization(organizations: stores.organizations)
        createAccount = CreateAccount(users: stores.users, hash: hashPassword, commonPasswords: commonPasswords)
        disableAccount = DisableAccount(users: stores.users)
        resetPassword = ResetPassword(users: stores.users, hash: hashPassword)
        chooseLanguage = ChooseLanguage(users: stores.users)
        listAccounts = ListAccounts(users: stores.users)
        readOwnAccount = ReadOwnAccount(users: stores.users)
        listAudit = ListAudit(audit: stores.audit)
        readOrganization = ReadOrganization(organizations: stores.organizations)
        listOrganizations = ListOrganizations(organizations: stores.organizations)

        readContact = ReadContact(contacts: stores.contacts)
        changeContact = ChangeContact(contacts: stores.contacts)
        listNotifications = ListNotifications(notifications: stores.notifications)
        receiveSMS = ReceiveSMS(inbound: stores.smsInbound)
        recordSMSDelivery = RecordSMSDelivery(outbox: stores.smsOutbox)
        refuseGatewayCall = RefuseGatewayCall(inbound: stores.smsInbound)
        listSMSOutbox = ListSMSOutbox(outbox: stores.smsOutbox)
        retrySMS = RetrySMS(outbox: stores.smsOutbox)
        answerInvitation = AnswerInvitation(applications: stores.applications)

        signIn = SignIn(users: stores.users, sessions: stores.sessions, hasher: hasher, sessionLifetime: sessionLifetime)
        signOut = SignOut(sessions: stores.sessions)
        readSession = ReadSession(sessions: stores.sessions)
    }
}

extension Identity {
    /// Whether the policy lets this caller do `action`.
    func may(_ action: Policy.Action) -> Bool {
        Policy.decide(self, action) == .allowed
    }

    /// Refuses (403) what the policy does not let this caller do.
    func require(_ action: Policy.Action) throws {
        guard may(action) else { throw StoreError.forbidden("Your account may not do this.") }
    }

    /// A community's or a municipality's user, who acts for its own organisation unless it
    /// says otherwise (staff, whose organisation is the agency, must always say which).
    var buysForOwnOrganization: UUID? {
        role == .community || role == .municipality ? organizationID : nil
    }
}
