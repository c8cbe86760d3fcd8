import Configuration
import Foundation
import Logging
import YachaqAssets
import YachaqServer
import YachaqStore

/// Every setting the commands read from the environment, read here and nowhere else, each
/// beside its default, through swift-configuration (key `yachaq.session.days` is the variable
/// `YACHAQ_SESSION_DAYS`). A flag, when a command has one, wins over its variable; a blank
/// variable counts as unset, and a number that does not parse leaves the default. The
/// libraries get what they need passed down.
struct Settings {
    private let config: ConfigReader

    /// The process environment; DATABASE_URL is a secret (it may hold a password) and is
    /// never printed by the configuration's own reporting.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        config = ConfigReader(
            provider: EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific(["DATABASE_URL", "DATABASE_READ_URL"])))
    }

    /// `DATABASE_URL`: an external PostgreSQL instead of the embedded cluster.
    var databaseURL: String? { text("database.url") }
    /// `DATABASE_READ_URL`: a streaming replica of that database for search, matching,
    /// reports and exports.
    var databaseReadURL: String? { text("database.read.url") }
    /// `YACHAQ_DATA_DIR`: folder of the embedded cluster.
    var dataDirectory: String { text("yachaq.data.dir") ?? ".yachaq/pg" }
    /// `YACHAQ_ASSETS_DIR`: a folder of `SQL/`, `Pages/` and `openapi.yaml` used instead of
    /// the copies compiled into the binary.
    var assets: AssetTree {
        text("yachaq.assets.dir").map { AssetTree(directory: URL(fileURLWithPath: $0, isDirectory: true)) } ?? .embedded
    }
    /// `YACHAQ_PG_BIN`, then `PATH`: where initdb and pg_ctl are looked for.
    var postgresSearchPath: [String] {
        [text("yachaq.pg.bin")].compactMap { $0 } + (text("path") ?? "").split(separator: ":").map(String.init)
    }
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: an OpenTelemetry
    /// collector for traces (the OTel package reads the rest of its `OTEL_*` variables itself).
    var tracesCollector: String? { text("otel.exporter.otlp.traces.endpoint") ?? text("otel.exporter.otlp.endpoint") }
    /// `LOG_FORMAT`: `text` (default) or `json`, one object per line.
    var logFormat: String { text("log.format")?.lowercased() ?? "text" }
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    var logLevel: Logger.Level { text("log.level").flatMap(Logger.Level.init(rawValue:)) ?? .info }
    /// `YACHAQ_STATEMENT_TIMEOUT_MS`: a longer statement is cancelled (503).
    var statementTimeout: Duration { .milliseconds(config.int(forKey: "yachaq.statement.timeout.ms", default: 5000)) }

    /// `YACHAQ_OCID_PREFIX`: the OCDS prefix of the published contracts' `ocid`s.
    var ocidPrefix: String { text("yachaq.ocid.prefix") ?? OCDSExport.defaultPrefix }

    /// The server's settings; `host` and `port` are the flags, which win.
    func server(host: String?, port: Int?) -> ServerConfiguration {
        ServerConfiguration(
            host: host ?? text("host") ?? "127.0.0.1",
            port: port ?? config.int(forKey: "port", default: 8080),
            sessionLifetime: .seconds(max(1, config.int(forKey: "yachaq.session.days", default: 30)) * 24 * 3600),
            connectionWait: .milliseconds(config.int(forKey: "yachaq.connection.wait.ms", default: 1000)),
            requestTimeout: .milliseconds(config.int(forKey: "yachaq.request.timeout.ms", default: 10000)),
            healthCheckTimeout: .milliseconds(config.int(forKey: "yachaq.health.timeout.ms", default: 2000)),
            trustedProxies: Set(config.stringArray(forKey: "yachaq.trusted.proxies", default: []).filter { !$0.isEmpty }),
            ocidPrefix: ocidPrefix,
            replicaMaxLag: .milliseconds(config.int(forKey: "yachaq.read.max.lag.ms", default: 5000)),
            idleTimeout: .milliseconds(max(1, config.int(forKey: "yachaq.idle.timeout.ms", default: 10000))),
            connectionLimits: .init(
                total: max(1, config.int(forKey: "yachaq.max.connections", default: 4096)),
                perAddress: max(1, config.int(forKey: "yachaq.max.connections.per.address", default: 256)))
        )
    }

    private func text(_ key: ConfigKey) -> String? {
        config.string(forKey: key).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }
}
