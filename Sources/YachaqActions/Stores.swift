import Logging
import YachaqDomain
import YachaqStore

/// Every store, built once over the one `Database`: the actions write through them, and the
/// doors read through them. One of each matters where a store keeps state of its own (the
/// indicators remember which kept scope they are refreshing).
public struct Stores: Sendable {
    public let reference: ReferenceStore
    public let sessions: SessionStore
    public let users: UserStore
    public let organizations: OrganizationStore
    public let providers: ProviderStore
    public let lineage: LineageStore
    public let requests: ServiceRequestStore
    public let matches: MatchStore
    public let applications: JobApplicationStore
    public let contracts: ContractStore
    public let payments: PaymentStore
    public let ratings: RatingStore
    public let reviews: ReviewStore
    public let scorecards: ScorecardStore
    public let indicators: IndicatorStore
    public let districtCounts: DistrictCounts
    public let figures: ProviderFiguresExport
    public let needsALook: NeedsALookStore
    public let ocds: OCDSExport
    public let audit: AuditStore
    public let contacts: ContactStore
    public let notifications: NotificationStore
    public let smsOutbox: SMSOutboxStore
    public let smsInbound: SMSInboundStore

    /// `signIns` hears of sessions, accounts and organisations that end or are disabled;
    /// `ocidPrefix` names the contracts published as OCDS.
    public init(database: Database, logger: Logger, signIns: SignInCache, ocidPrefix: String) {
        reference = ReferenceStore(database: database)
        sessions = SessionStore(database: database, logger: logger, cache: signIns)
        users = UserStore(database: database, logger: logger, signIns: signIns)
        organizations = OrganizationStore(database: database, logger: logger, signIns: signIns)
        providers = ProviderStore(database: database, logger: logger, signIns: signIns)
        lineage = LineageStore(database: database, logger: logger)
        requests = ServiceRequestStore(database: database, logger: logger)
        matches = MatchStore(database: database, logger: logger)
        applications = JobApplicationStore(database: database, logger: logger)
        contracts = ContractStore(database: database, logger: logger)
        payments = PaymentStore(database: database, logger: logger)
        ratings = RatingStore(database: database, logger: logger)
        reviews = ReviewStore(database: database, logger: logger)
        scorecards = ScorecardStore(database: database, logger: logger)
        indicators = IndicatorStore(database: database, logger: logger)
        districtCounts = DistrictCounts(database: database)
        figures = ProviderFiguresExport(database: database, logger: logger)
        needsALook = NeedsALookStore(database: database, logger: logger)
        ocds = OCDSExport(database: database, logger: logger, prefix: ocidPrefix)
        audit = AuditStore(database: database)
        contacts = ContactStore(database: database, logger: logger, signIns: signIns)
        notifications = NotificationStore(database: database, logger: logger)
        smsOutbox = SMSOutboxStore(database: database, logger: logger)
        smsInbound = SMSInboundStore(database: database, logger: logger)
    }
}
