import Hummingbird
import Metrics
import Prometheus

/// `GET /metrics`: Prometheus text format of everything recorded through swift-metrics.
struct MetricsController {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Observability.registry.emitToBuffer())))
        }
    }
}

enum Observability {
    /// The process-wide registry; bootstrapping swift-metrics may happen once per process
    /// (tests build many applications), so it happens on first use of this value.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
