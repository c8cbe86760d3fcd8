import Foundation
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces to the collector `Settings.tracesCollector` names (OTLP over HTTP
/// with protobuf): a span for every request, with its route and status, sent in batches by
/// the background service returned. The other `OTEL_*` variables of the specification apply,
/// read by the OTel package itself (`OTEL_SERVICE_NAME`, default `yachaq`;
/// `OTEL_TRACES_SAMPLER`; `OTEL_BSP_SCHEDULE_DELAY`, ...). Metrics stay on /metrics and logs
/// on standard error. The tracer is the process's (`InstrumentationSystem`): call this once.
func makeTracing() throws -> any Service {
    var configuration = OTel.Configuration.default
    configuration.serviceName = "yachaq"
    configuration.metrics.enabled = false
    configuration.logs.enabled = false
    configuration.diagnosticLogLevel = .warning
    let backend = try OTel.makeTracingBackend(configuration: configuration)
    InstrumentationSystem.bootstrap(backend.factory)
    return backend.service
}
