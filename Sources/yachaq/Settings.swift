import Configuration
import Foundation
import Logging
import YachaqAssets
import YachaqDomain
import YachaqSMS
import YachaqServer
import YachaqStore

/// Every setting the commands read from the environment, read here and nowhere else, with its
/// default from `Setting.all`, through swift-configuration (key `yachaq.session.days` is the
/// variable `YACHAQ_SESSION_DAYS`). A flag, when a command has one, wins over its variable; a blank
/// variable counts as unset, and a number that does not parse leaves the default. The
/// libraries get what they need passed down.
struct Settings: Sendable {
    private let config: ConfigReader

    /// The process's settings, read once: the environment does not change while it runs.
    static let process = Settings()

    /// The process environment; DATABASE_URL is a secret (it may hold a password) and is
    /// never printed by the configuration's own reporting.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        config = ConfigReader(
            provider: EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .specific(["DATABASE_URL", "DATABASE_READ_URL", "YACHAQ_SMS_PASSWORD", "YACHAQ_SMS_SECRET"])))
    }

    /// `DATABASE_URL`: an external PostgreSQL instead of the embedded cluster.
    var databaseURL: String? { text(.databaseURL) }
    /// `DATABASE_READ_URL`: a streaming replica of that database for search, matching,
    /// reports and exports.
    var databaseReadURL: String? { text(.databaseReadURL) }
    /// `YACHAQ_DATA_DIR`: folder of the embedded cluster.
    var dataDirectory: String { text(.dataDirectory) ?? Setting.dataDirectory.text }
    /// `YACHAQ_ASSETS_DIR`: a folder of `SQL/`, `Pages/` and `openapi.yaml` used instead of
    /// the copies compiled into the binary.
    var assets: AssetTree {
        text(.assetsDirectory).map { AssetTree(directory: URL(fileURLWithPath: $0, isDirectory: true)) } ?? .embedded
    }
    /// `YACHAQ_PG_BIN`, then `PATH`: where initdb and pg_ctl are looked for.
    var postgresSearchPath: [String] {
        [text(.postgresBinaries)].compactMap { $0 } + (text("path") ?? "").split(separator: ":").map(String.init)
    }
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: an OpenTelemetry
    /// collector for traces (the OTel package reads the rest of its `OTEL_*` variables itself).
    var tracesCollector: String? { text("otel.exporter.otlp.traces.endpoint") ?? text(.tracesCollector) }
    /// `LOG_FORMAT`: `text` (default) or `json`, one object per line.
    var logFormat: String { text(.logFormat)?.lowercased() ?? Setting.logFormat.text }
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    var logLevel: Logger.Level { Logger.Level(rawValue: text(.logLevel) ?? Setting.logLevel.text) ?? .info }
    /// `YACHAQ_STATEMENT_TIMEOUT_MS`: a longer statement is cancelled (503).
    var statementTimeout: Duration { .milliseconds(number(.statementTimeoutMs)) }

    /// `YACHAQ_OCID_PREFIX`: the OCDS prefix of the published contracts' `ocid`s.
    var ocidPrefix: String { text(.ocidPrefix) ?? Setting.ocidPrefix.text }

    /// The server's settings; `host` and `port` are the flags, which win.
    func server(host: String?, port: Int?) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            host: host ?? text(.host) ?? Setting.host.text,
            port: port ?? number(.port),
            sessionLifetime: .seconds(max(1, number(.sessionDays)) * 24 * 3600),
            connectionWait: .milliseconds(number(.connectionWaitMs)),
            requestTimeout: .milliseconds(number(.requestTimeoutMs)),
            healthCheckTimeout: .milliseconds(number(.healthTimeoutMs)),
            trustedProxies: Set(config.stringArray(forKey: ConfigKey(Setting.trustedProxies.key), default: []).filter { !$0.isEmpty }),
            ocidPrefix: ocidPrefix,
            replicaMaxLag: .milliseconds(number(.readMaxLagMs)),
            idleTimeout: .milliseconds(max(1, number(.idleTimeoutMs))),
            connectionLimits: .init(total: max(1, number(.maxConnections)), perAddress: max(1, number(.maxConnectionsPerAddress)))
        )
        let secret = text(.smsSecret)
        configuration.smsGateway = text(.smsURL).map { url in
            SMSGatewaySettings(
                sendURL: url, username: text(.smsUser) ?? "", password: text(.smsPassword) ?? "",
                callbackURL: text(.smsCallbackURL) ?? "http://127.0.0.1:\(configuration.port)", secret: secret ?? "")
        }
        configuration.sms = SMSDoor(
            secret: secret, gatewayAddresses: Set(list(.smsGatewayAddresses)), gatewayConfigured: configuration.smsGateway != nil)
        configuration.smsPacing.perNumberPerHour = max(1, number(.smsPerHour))
        // A quiet-hours text that does not read as hours keeps the default: texts at night are the worse mistake.
        if let quiet = QuietHours(text(.smsQuietHours) ?? Setting.smsQuietHours.text) { configuration.smsPacing.quietHours = quiet }
        return configuration
    }

    /// A comma-separated setting's entries, or its default's.
    private func list(_ setting: Setting) -> [String] {
        (text(setting) ?? setting.text).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A number setting, or its default.
    private func number(_ setting: Setting) -> Int {
        config.int(forKey: ConfigKey(setting.key), default: setting.number)
    }

    /// A text setting; nil when unset or blank.
    private func text(_ setting: Setting) -> String? {
        text(ConfigKey(setting.key))
    }

    private func text(_ key: ConfigKey) -> String? {
        config.string(forKey: key).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }
}
