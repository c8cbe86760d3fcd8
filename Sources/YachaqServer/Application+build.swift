import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import YachaqAssets
import YachaqStore

/// Loads the pages and the API description from `assets` once, so that a folder given with
/// `--assets-dir` that lacks them is an error before the service starts.
public func checkAssets(_ assets: AssetTree) throws {
    _ = try PageKit(assets: assets)
    _ = try DocumentationController(assets: assets)
}

/// All routes, for the application and for tests that compare them with /openapi.yaml. The
/// pages' templates and translations load from the assets; without them the service cannot
/// start, so their absence stops it at once rather than on a first request. `hasher` checks
/// passwords (by default bcrypt within `configuration.passwordChecks`).
public func buildRouter(
    configuration: ServerConfiguration = .init(), database client: PostgresClient, replica: ReadReplica? = nil,
    signIns: SignInCache = SignInCache(), hasher: PasswordHasher? = nil, logger: Logger
) -> Router<AppRequestContext> {
    _ = Observability.registry
    let database = Database(client, connectionWait: configuration.connectionWait, replica: replica)
    let sessions = SessionStore(database: database, logger: logger, cache: signIns)
    let users = UserStore(database: database, logger: logger, signIns: signIns)
    let hasher = hasher ?? PasswordHasher(limits: configuration.passwordChecks)
    let routes = RouteTable()
    let kit: PageKit
    let documentation: DocumentationController
    do {
        kit = try PageKit(assets: configuration.assets)
        documentation = try DocumentationController(assets: configuration.assets)
    } catch {
        fatalError("The web pages or openapi.yaml are missing or malformed in \(configuration.assets.origin): \(error)")
    }
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    if configuration.tracing { router.add(middleware: TracingMiddleware()) }
    router.add(middleware: ProblemMiddleware(routes: routes))
    if replica != nil { router.add(middleware: ReadYourWritesMiddleware(writes: RecentWrites())) }
    router.add(middleware: DeadlineMiddleware(timeout: configuration.requestTimeout))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))

    HealthController(database: database, timeout: configuration.healthCheckTimeout).addRoutes(to: router)
    documentation.addRoutes(to: router)
    MetricsController().addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(sessions: sessions))
    let reference = ReferenceStore(database: database)
    let codes = ReferenceCodesCache(store: reference)
    let names = ReferenceNames(store: reference)
    ReferenceController(store: reference).addRoutes(to: v1)
    let auth = AuthController(
        users: users, sessions: sessions, sessionLifetime: configuration.sessionLifetime, hasher: hasher,
        trustedProxies: configuration.trustedProxies)
    auth.addRoutes(to: v1)
    OrganizationController(store: OrganizationStore(database: database, logger: logger, signIns: signIns), codes: codes).addRoutes(to: v1)
    UserController(store: users).addRoutes(to: v1)
    AuditController(store: AuditStore(database: database)).addRoutes(to: v1)
    ProviderController(
        providers: ProviderStore(database: database, logger: logger, signIns: signIns),
        lineage: LineageStore(database: database, logger: logger),
        ratings: RatingStore(database: database, logger: logger),
        reference: reference, codes: codes
    ).addRoutes(to: v1)
    ServiceRequestController(
        requests: ServiceRequestStore(database: database, logger: logger),
        matches: MatchStore(database: database, logger: logger),
        applications: JobApplicationStore(database: database, logger: logger),
        reference: reference, codes: codes, kit: kit, names: names
    ).addRoutes(to: v1)
    ContractController(
        contracts: ContractStore(database: database, logger: logger), payments: PaymentStore(database: database, logger: logger),
        ratings: RatingStore(database: database, logger: logger), codes: codes
    ).addRoutes(to: v1)
    ReportController(
        scorecards: ScorecardStore(database: database, logger: logger), reviews: ReviewStore(database: database, logger: logger),
        indicators: IndicatorStore(database: database, logger: logger),
        figures: ProviderFiguresExport(database: database, logger: logger),
        needsALook: NeedsALookStore(database: database, logger: logger),
        ocds: OCDSExport(database: database, logger: logger, prefix: configuration.ocidPrefix), codes: codes
    ).addRoutes(to: v1)
    addPages(
        to: router, kit: kit, names: names, auth: auth, database: database, reference: reference, codes: codes, routes: routes,
        ocidPrefix: configuration.ocidPrefix, signIns: signIns, logger: logger)
    routes.load(router)
    return router
}

/// The web pages, over the same stores and policy as the API.
func addPages(
    to router: Router<AppRequestContext>, kit: PageKit, names: ReferenceNames, auth: AuthController, database: Database,
    reference: ReferenceStore, codes: ReferenceCodesCache, routes: RouteTable, ocidPrefix: String, signIns: SignInCache, logger: Logger
) {
    let pages = router.group().add(
        middleware: PageMiddleware(
            kit: kit, sessions: auth.sessions, problems: ProblemMiddleware(routes: routes), trustedProxies: auth.trustedProxies))
    let requests = ServiceRequestStore(database: database, logger: logger)
    let applications = JobApplicationStore(database: database, logger: logger)
    let contracts = ContractStore(database: database, logger: logger)
    let providers = ProviderStore(database: database, logger: logger, signIns: signIns)
    let ratings = RatingStore(database: database, logger: logger)
    let lineage = LineageStore(database: database, logger: logger)
    let organizations = OrganizationStore(database: database, logger: logger, signIns: signIns)
    PublicPages(
        kit: kit, names: names, auth: auth, users: auth.users, providers: providers, lineage: lineage, ratings: ratings,
        reference: reference, sessionLifetime: auth.sessionLifetime
    ).addRoutes(to: pages, stylesheet: router)
    let technician = TechnicianPages(
        kit: kit, names: names, requests: requests, applications: applications, contracts: contracts, providers: providers,
        ratings: ratings, reviews: ReviewStore(database: database, logger: logger), reference: reference, codes: codes,
        lineage: lineage)
    technician.addRoutes(to: pages)
    RequestPages(
        kit: kit, names: names, requests: requests, matches: MatchStore(database: database, logger: logger),
        applications: applications, contracts: contracts, providers: providers, organizations: organizations,
        reference: reference, codes: codes, technician: technician
    ).addRoutes(to: pages)
    let payments = PaymentStore(database: database, logger: logger)
    ContractPages(
        kit: kit, names: names, requests: requests, applications: applications, contracts: contracts, payments: payments,
        ratings: ratings, providers: providers, organizations: organizations, codes: codes
    ).addRoutes(to: pages)
    AccountPages(kit: kit, organizations: organizations, users: auth.users, codes: codes).addRoutes(to: pages)
    let atlas = DistrictAtlas(store: reference)
    StaffPages(
        kit: kit, names: names, atlas: atlas, providers: providers, scorecards: ScorecardStore(database: database, logger: logger),
        reviews: ReviewStore(database: database, logger: logger), contracts: contracts, payments: payments, lineage: lineage,
        needsALook: NeedsALookStore(database: database, logger: logger), codes: codes
    ).addRoutes(to: pages)
    IndicatorPages(
        kit: kit, names: names, atlas: atlas, indicators: IndicatorStore(database: database, logger: logger),
        counts: DistrictCounts(database: database), figures: ProviderFiguresExport(database: database, logger: logger),
        ocds: OCDSExport(database: database, logger: logger, prefix: ocidPrefix)
    ).addRoutes(to: pages)
}

/// The Yachaq service: its routes, and the database pool it runs as a service so that
/// graceful shutdown closes it after the last request. With `listening` (a connection to
/// the same database) sign-ins are remembered while its notifications are heard
/// (`SignInCache`); without it every token is looked up. With `replica` (a streaming
/// replica of `database`) search, matching, reports and exports read there when it is
/// current enough. `prepare` runs once the pool is up and before the server listens (the
/// demo data goes in there). `services` run beside it (a tracing exporter).
public func buildApplication(
    configuration: ServerConfiguration, database: PostgresClient, replica: ReadReplica? = nil,
    listening: PostgresConnection.Configuration? = nil, hasher: PasswordHasher? = nil, logger: Logger, services extra: [any Service] = [],
    prepare: (@Sendable () async throws -> Void)? = nil
) -> some ApplicationProtocol {
    let signIns = SignInCache()
    let connections = ConnectionLimits(configuration.connectionLimits, exempt: configuration.trustedProxies)
    var services: [any Service] = [database] + extra
    if let replica { services += [replica.client, replica] }
    if let listening { services.append(SignInListener(configuration: listening, cache: signIns, logger: logger)) }
    var app = Application(
        router: buildRouter(
            configuration: configuration, database: database, replica: replica, signIns: signIns, hasher: hasher, logger: logger),
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ParserErrorResponder(), connections.handler()],
                idleTimeout: .nanoseconds(configuration.idleTimeout.saturating(per: 1_000_000_000)))),
        // A deep accept queue: a burst of connections (a crowd, or a flood being shed) must not
        // overflow it, or a client's connection attempt waits a second for its SYN to be resent.
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "yachaq", backlog: 4096),
        services: services,
        logger: logger
    )
    if let prepare { app.beforeServerStarts(perform: prepare) }
    return app
}

extension ReadReplica {
    /// The replica on `pool` of the database on `primary`, as the service reads it: leases
    /// wait `connectionWait`, and it is read while at most `replicaMaxLag` behind.
    public convenience init(_ pool: PostgresClient, of primary: PostgresClient, configuration: ServerConfiguration, logger: Logger) {
        _ = Observability.registry  // before its meters are made
        self.init(
            client: pool, primary: Database(primary, connectionWait: configuration.connectionWait), maxLag: configuration.replicaMaxLag,
            logger: logger)
    }
}
