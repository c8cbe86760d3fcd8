import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import YachaqActions
import YachaqAssets
import YachaqSMS
import YachaqStore
import YachaqWords

/// Loads the pages and the API description from `assets` once, so that a folder given with
/// `--assets-dir` that lacks them is an error before the service starts.
public func checkAssets(_ assets: AssetTree) throws {
    _ = try PageKit(assets: assets)
    _ = try DocumentationController(assets: assets)
    _ = try assets.text("common-passwords.txt")
}

/// All routes, for the application and for tests that compare them with /openapi.yaml. The
/// pages' templates and translations load from the assets; without them the service cannot
/// start, so their absence stops it at once rather than on a first request. `reference` is
/// the database's reference data, read before (`ReferenceData.load`). `hasher` checks
/// passwords (by default bcrypt within `configuration.passwordChecks`).
public func buildRouter(
    configuration: ServerConfiguration = .init(), database client: PostgresClient, reference: ReferenceData, replica: ReadReplica? = nil,
    signIns: SignInCache = SignInCache(), hasher: PasswordHasher? = nil, logger: Logger
) -> Router<AppRequestContext> {
    _ = Observability.registry
    let database = Database(client, connectionWait: configuration.connectionWait, replica: replica)
    let stores = Stores(database: database, logger: logger, signIns: signIns, ocidPrefix: configuration.ocidPrefix)
    let hasher = hasher ?? PasswordHasher(limits: configuration.passwordChecks)
    let routes = RouteTable()
    let kit: PageKit
    let documentation: DocumentationController
    let actions: Actions
    do {
        kit = try PageKit(assets: configuration.assets)
        documentation = try DocumentationController(assets: configuration.assets)
        actions = Actions(
            stores, hasher: hasher, sessionLifetime: configuration.sessionLifetime,
            commonPasswords: CommonPasswords(try configuration.assets.text("common-passwords.txt")), today: configuration.today)
    } catch {
        fatalError(
            "The web pages, openapi.yaml or common-passwords.txt are missing or malformed in \(configuration.assets.origin): \(error)")
    }
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    if configuration.tracing { router.add(middleware: TracingMiddleware()) }
    router.add(middleware: ProblemMiddleware(routes: routes))
    let pageMiddleware = PageMiddleware(
        kit: kit, sessions: actions.readSession, problems: ProblemMiddleware(routes: routes), trustedProxies: configuration.trustedProxies,
        routes: routes)
    router.add(middleware: UnknownPageMiddleware(pages: pageMiddleware, routes: routes))
    if replica != nil { router.add(middleware: ReadYourWritesMiddleware(writes: RecentWrites())) }
    router.add(middleware: DeadlineMiddleware(timeout: configuration.requestTimeout))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))

    HealthController(database: database, timeout: configuration.healthCheckTimeout).addRoutes(to: router)
    documentation.addRoutes(to: router)
    MetricsController().addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(sessions: actions.readSession))
    ReferenceController(actions: actions, reference: reference).addRoutes(to: v1)
    AuthController(actions: actions, trustedProxies: configuration.trustedProxies).addRoutes(to: v1)
    OrganizationController(actions: actions, reference: reference).addRoutes(to: v1)
    UserController(actions: actions).addRoutes(to: v1)
    NotificationController(actions: actions, translations: kit.translations, reference: reference).addRoutes(to: v1)
    SMSController(actions: actions, door: configuration.sms).addRoutes(to: v1)
    AuditController(actions: actions).addRoutes(to: v1)
    ProviderController(actions: actions, reference: reference).addRoutes(to: v1)
    ServiceRequestController(
        actions: actions, reference: reference, translations: kit.translations
    ).addRoutes(to: v1)
    ContractController(actions: actions, reference: reference).addRoutes(to: v1)
    ReportController(actions: actions, reference: reference).addRoutes(to: v1)
    addPages(
        to: router, pages: pageMiddleware, actions: actions, kit: kit, reference: reference,
        trustedProxies: configuration.trustedProxies)
    routes.load(router)
    return router
}

/// The web pages: the API's actions for every write and for every read that decides who sees what.
func addPages(
    to router: Router<AppRequestContext>, pages pageMiddleware: PageMiddleware, actions: Actions, kit: PageKit,
    reference: ReferenceData, trustedProxies: Set<String>
) {
    let pages = router.group().add(middleware: pageMiddleware)
    PublicPages(actions: actions, kit: kit, reference: reference, trustedProxies: trustedProxies)
        .addRoutes(to: pages, stylesheet: router)
    let technician = TechnicianPages(
        actions: actions, kit: kit, reference: reference)
    technician.addRoutes(to: pages)
    RequestPages(
        actions: actions, kit: kit, reference: reference, technician: technician
    ).addRoutes(to: pages)
    ContractPages(actions: actions, kit: kit, reference: reference).addRoutes(to: pages)
    AccountPages(actions: actions, kit: kit, reference: reference).addRoutes(to: pages)
    MessagePages(actions: actions, kit: kit, reference: reference).addRoutes(to: pages)
    let atlas = DistrictAtlas(reference)
    StaffPages(actions: actions, kit: kit, reference: reference, atlas: atlas).addRoutes(to: pages)
    IndicatorPages(actions: actions, kit: kit, reference: reference, atlas: atlas).addRoutes(to: pages)
}

/// The Yachaq service: its routes, and the database pool it runs as a service so that
/// graceful shutdown closes it after the last request. With `listening` (a connection to
/// the same database) sign-ins are remembered while its notifications are heard
/// (`SignInCache`); without it every token is looked up. With `replica` (a streaming
/// replica of `database`) search, matching, reports and exports read there when it is
/// current enough. `prepare` runs once the pool is up and before the server listens (the
/// demo data goes in there). `services` run beside it (a tracing exporter).
public func buildApplication(
    configuration: ServerConfiguration, database: PostgresClient, reference: ReferenceData, replica: ReadReplica? = nil,
    listening: PostgresConnection.Configuration? = nil, hasher: PasswordHasher? = nil, logger: Logger, services extra: [any Service] = [],
    prepare: (@Sendable () async throws -> Void)? = nil
) -> some ApplicationProtocol {
    let signIns = SignInCache()
    // The SMS gateway calls back once per report, a thousand at once after a burst: like a
    // trusted proxy it counts only toward the total.
    let connections = ConnectionLimits(
        configuration.connectionLimits, exempt: configuration.trustedProxies.union(configuration.sms.gatewayAddresses))
    var services: [any Service] = [database] + extra
    if let replica { services += [replica.client, replica] }
    if let listening { services.append(SignInListener(configuration: listening, cache: signIns, logger: logger)) }
    if let gateway = configuration.smsGateway {
        services.append(smsDispatcher(gateway, configuration: configuration, database: database, reference: reference, logger: logger))
    }
    var app = Application(
        router: buildRouter(
            configuration: configuration, database: database, reference: reference, replica: replica, signIns: signIns, hasher: hasher,
            logger: logger),
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

/// The outbox's dispatcher for `yachaq serve`, over the same pool. Its store keeps no state,
/// so this one beside the routes' is the same store (with a longer wait for a connection);
/// its words are the pages' tables.
func smsDispatcher(
    _ gateway: SMSGatewaySettings, configuration: ServerConfiguration, database: PostgresClient, reference: ReferenceData, logger: Logger
) -> SMSDispatcher {
    let translations: Translations
    do {
        translations = try Translations(assets: configuration.assets, folder: "Pages/translations")
    } catch {
        fatalError("The translations are missing or malformed in \(configuration.assets.origin): \(error)")
    }
    return SMSDispatcher(
        // Nobody waits on the dispatcher: it waits for a connection as long as it takes a busy
        // pool to free one, rather than fail to record a text the gateway already took.
        outbox: SMSOutboxStore(database: Database(database, connectionWait: .seconds(30)), logger: logger),
        gateway: KannelGateway(gateway), translations: translations, reference: reference, pacing: configuration.smsPacing,
        logger: logger)
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
