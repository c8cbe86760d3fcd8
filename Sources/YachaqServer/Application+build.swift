import Hummingbird
import Logging
import PostgresNIO
import YachaqStore

/// What the HTTP server needs to know; the command line fills it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// All routes, for the application and for tests that compare them with /openapi.yaml.
public func buildRouter(database: PostgresClient) -> Router<AppRequestContext> {
    _ = Observability.registry
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))

    HealthController(database: database).addRoutes(to: router)
    DocumentationController().addRoutes(to: router)
    MetricsController().addRoutes(to: router)
    let v1 = router.group("v1")
    ReferenceController(store: ReferenceStore(client: database)).addRoutes(to: v1)
    return router
}

/// The Yachaq service: its routes, and the database pool it runs as a service so that
/// graceful shutdown closes it after the last request.
public func buildApplication(configuration: ServerConfiguration, database: PostgresClient, logger: Logger) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "yachaq"),
        services: [database],
        logger: logger
    )
}
