import Hummingbird
import Logging
import PostgresNIO
import YachaqStore

/// What the HTTP server needs to know; the command line fills it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// How long a sign-in token lives.
    public var sessionLifetime: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, sessionLifetime: Duration = .seconds(30 * 24 * 3600)) {
        self.host = host
        self.port = port
        self.sessionLifetime = sessionLifetime
    }
}

/// All routes, for the application and for tests that compare them with /openapi.yaml.
public func buildRouter(configuration: ServerConfiguration = .init(), database: PostgresClient, logger: Logger) -> Router<AppRequestContext> {
    _ = Observability.registry
    let sessions = SessionStore(client: database)
    let users = UserStore(client: database, logger: logger)
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))

    HealthController(database: database).addRoutes(to: router)
    DocumentationController().addRoutes(to: router)
    MetricsController().addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(sessions: sessions))
    let reference = ReferenceStore(client: database)
    let codes = ReferenceCodesCache(store: reference)
    ReferenceController(store: reference).addRoutes(to: v1)
    AuthController(users: users, sessions: sessions, sessionLifetime: configuration.sessionLifetime).addRoutes(to: v1)
    OrganizationController(store: OrganizationStore(client: database)).addRoutes(to: v1)
    UserController(store: users).addRoutes(to: v1)
    AuditController(store: AuditStore(client: database)).addRoutes(to: v1)
    ProviderController(
        providers: ProviderStore(client: database, logger: logger, references: codes),
        lineage: LineageStore(client: database, logger: logger, references: codes),
        reference: reference
    ).addRoutes(to: v1)
    RequestController(
        requests: RequestStore(client: database, logger: logger, references: codes),
        matches: MatchStore(client: database, logger: logger),
        applications: ApplicationStore(client: database, logger: logger),
        reference: reference
    ).addRoutes(to: v1)
    return router
}

/// The Yachaq service: its routes, and the database pool it runs as a service so that
/// graceful shutdown closes it after the last request. `prepare` runs once the pool is
/// up and before the server listens (the demo data goes in there).
public func buildApplication(configuration: ServerConfiguration, database: PostgresClient, logger: Logger,
                             prepare: (@Sendable () async throws -> Void)? = nil) -> some ApplicationProtocol {
    var app = Application(
        router: buildRouter(configuration: configuration, database: database, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "yachaq"),
        services: [database],
        logger: logger
    )
    if let prepare { app.beforeServerStarts(perform: prepare) }
    return app
}
