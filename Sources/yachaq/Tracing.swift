import Foundation
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces, when an OTLP collector is named (`OTEL_EXPORTER_OTLP_ENDPOINT` or
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, OTLP over HTTP with protobuf): a span for every
/// request, with its route and status, sent in batches by a background service. The other
/// `OTEL_*` variables of the specification apply (`OTEL_SERVICE_NAME`, default `yachaq`;
/// `OTEL_TRACES_SAMPLER`; `OTEL_BSP_SCHEDULE_DELAY`, ...). Metrics stay on /metrics and logs
/// on standard error. Without a collector: nil, and no tracing at all. The tracer is the
/// process's (`InstrumentationSystem`), so this runs once per process.
func makeTracing() throws -> (any Service)? {
    // The OTel package reads the process environment itself; these are its names.
    let environment = ProcessInfo.processInfo.environment
    let named = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].contains { environment[$0]?.isEmpty == false }
    guard named else { return nil }
    var configuration = OTel.Configuration.default
    configuration.serviceName = "yachaq"
    configuration.metrics.enabled = false
    configuration.logs.enabled = false
    configuration.diagnosticLogLevel = .warning
    let backend = try OTel.makeTracingBackend(configuration: configuration)
    InstrumentationSystem.bootstrap(backend.factory)
    return backend.service
}
