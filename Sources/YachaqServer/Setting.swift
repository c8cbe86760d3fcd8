import YachaqStore

/// One setting: its environment variable, its flag where a command has one, its default and
/// what it means. `Setting.all` is the one table: the command line reads each variable with
/// this default, `ServerConfiguration`'s defaults are these, `yachaq --help` lists them, and a
/// test holds README.md's configuration table to it.
public struct Setting: Sendable {
    public enum Default: Sendable {
        case none
        case number(Int)
        case text(String)
        /// A default that is not a value (where a program is looked for).
        case described(String)
    }

    public let variable: String
    public let flag: String?
    public let fallback: Default
    /// Markdown: `code` in backticks.
    public let meaning: String

    init(_ variable: String, flag: String? = nil, _ fallback: Default, _ meaning: String) {
        self.variable = variable
        self.flag = flag
        self.fallback = fallback
        self.meaning = meaning
    }

    /// The key swift-configuration reads it by: `YACHAQ_SESSION_DAYS` is `yachaq.session.days`.
    public var key: String { variable.lowercased().replacingOccurrences(of: "_", with: ".") }

    /// The default of a number setting (0 for any other).
    public var number: Int {
        if case .number(let value) = fallback { value } else { 0 }
    }

    /// The default of a text setting ("" for any other).
    public var text: String {
        if case .text(let value) = fallback { value } else { "" }
    }

    /// The default as the README and `--help` write it.
    var shownDefault: String {
        switch fallback {
        case .none: "(none)"
        case .number(let value): "`\(value)`"
        case .text(let value): "`\(value)`"
        case .described(let text): text
        }
    }
}

extension Setting {
    public static let databaseURL = Setting(
        "DATABASE_URL", flag: "database-url", .none,
        "`postgres://user:password@host:5432/db?sslmode=require`; without it, the embedded cluster")
    public static let dataDirectory = Setting("YACHAQ_DATA_DIR", flag: "data-dir", .text("./.yachaq/pg"), "folder of the embedded cluster")
    public static let host = Setting("HOST", flag: "host", .text("127.0.0.1"), "address `serve` listens on (`0.0.0.0` for all)")
    public static let port = Setting("PORT", flag: "port", .number(8080), "port `serve` listens on")
    public static let sessionDays = Setting("YACHAQ_SESSION_DAYS", .number(30), "how long a sign-in token lives")
    public static let connectionWaitMs = Setting(
        "YACHAQ_CONNECTION_WAIT_MS", .number(1000), "how long a request waits for a database connection before it is answered 503")
    public static let statementTimeoutMs = Setting(
        "YACHAQ_STATEMENT_TIMEOUT_MS", .number(5000), "PostgreSQL cancels a statement running longer (503 to the client)")
    public static let requestTimeoutMs = Setting(
        "YACHAQ_REQUEST_TIMEOUT_MS", .number(10000), "any request still running after this is cancelled and answered 503")
    public static let healthTimeoutMs = Setting(
        "YACHAQ_HEALTH_TIMEOUT_MS", .number(2000), "`GET /health` answers 503 when the database has not answered `SELECT 1` by then")
    public static let idleTimeoutMs = Setting(
        "YACHAQ_IDLE_TIMEOUT_MS", .number(10000),
        "a connection with no request in progress (its first request's head not yet complete, or between requests) is closed after this")
    public static let maxConnections = Setting(
        "YACHAQ_MAX_CONNECTIONS", .number(4096),
        "connections open at once; more are closed at once (lowered to the limit of open files less 256)")
    public static let maxConnectionsPerAddress = Setting(
        "YACHAQ_MAX_CONNECTIONS_PER_ADDRESS", .number(256),
        "connections open at once from one client address (trusted proxies count only toward the total)")
    public static let trustedProxies = Setting(
        "YACHAQ_TRUSTED_PROXIES", .none,
        "comma-separated addresses of reverse proxies whose `X-Forwarded-For` names the client (for sign-in throttling), and whose "
            + "`X-Forwarded-Proto: https` makes the pages' cookies `Secure`")
    public static let ocidPrefix = Setting(
        "YACHAQ_OCID_PREFIX", .text(OCDSExport.defaultPrefix),
        "the OCDS prefix of published contracts' `ocid`s (register one with the Open Contracting Partnership)")
    public static let databaseReadURL = Setting(
        "DATABASE_READ_URL", .none,
        "a streaming replica: search, matching, reports and exports read there while it is current; users still read their own "
            + "writes (Deploy/README.md, \"Read replicas\")")
    public static let readMaxLagMs = Setting("YACHAQ_READ_MAX_LAG_MS", .number(5000), "a replica further behind is not read")
    public static let logLevel = Setting("LOG_LEVEL", .text("info"), "`trace` … `critical` (`debug` logs every request)")
    public static let logFormat = Setting("LOG_FORMAT", .text("text"), "`json`: one object per line, with the request's `hb.request.id`")
    public static let tracesCollector = Setting(
        "OTEL_EXPORTER_OTLP_ENDPOINT", .none,
        "an OpenTelemetry collector (OTLP/HTTP, e.g. `http://collector:4318`): every request becomes a span; the other `OTEL_*` "
            + "variables apply")
    public static let assetsDirectory = Setting(
        "YACHAQ_ASSETS_DIR", flag: "assets-dir", .described("the copies in the binary"),
        "folder of `SQL/`, `Pages/`, `openapi.yaml` and `common-passwords.txt` used instead (`yachaq assets export DIR` writes them out)")
    public static let smsURL = Setting(
        "YACHAQ_SMS_URL", .none,
        "Kannel's `sendsms` URL (`http://kannel:13013/cgi-bin/sendsms`); without it texts stay queued in the outbox, shown as "
            + "\"no gateway configured\"")
    public static let smsUser = Setting("YACHAQ_SMS_USER", .none, "a `sendsms-user` of Kannel's configuration")
    public static let smsPassword = Setting("YACHAQ_SMS_PASSWORD", .none, "its password (a secret)")
    public static let smsSecret = Setting(
        "YACHAQ_SMS_SECRET", .none,
        "what Kannel presents (`?secret=` in its URLs) on `/v1/sms/inbound` and `/v1/sms/delivery` (a secret); without it both refuse")
    public static let smsGatewayAddresses = Setting(
        "YACHAQ_SMS_GATEWAY_ADDRESSES", .text("127.0.0.1,::1"), "comma-separated addresses the gateway calls Yachaq from")
    public static let smsCallbackURL = Setting(
        "YACHAQ_SMS_CALLBACK_URL", .described("`http://127.0.0.1:` and the port"),
        "Yachaq's address as Kannel reaches it, for delivery reports")
    public static let smsQuietHours = Setting(
        "YACHAQ_SMS_QUIET_HOURS", .text("21-6"), "Peru's hours when no SMS about an event goes out (held until they end); `none` for none")
    public static let smsPerHour = Setting("YACHAQ_SMS_PER_HOUR", .number(6), "texts sent to one number in an hour at most; more wait")
    public static let postgresBinaries = Setting(
        "YACHAQ_PG_BIN", .described("PATH, then `/usr/lib/postgresql/*/bin`"), "where `initdb` and `pg_ctl` are")

    /// In the order the README and `--help` list them.
    public static let all: [Setting] = [
        databaseURL, dataDirectory, host, port, sessionDays, connectionWaitMs, statementTimeoutMs, requestTimeoutMs, healthTimeoutMs,
        idleTimeoutMs, maxConnections, maxConnectionsPerAddress, trustedProxies, ocidPrefix, databaseReadURL, readMaxLagMs, logLevel,
        logFormat, tracesCollector, smsURL, smsUser, smsPassword, smsSecret, smsGatewayAddresses, smsCallbackURL, smsQuietHours,
        smsPerHour, assetsDirectory, postgresBinaries,
    ]

    /// The README's table, row for row.
    public static var markdownTable: String {
        (["| flag | environment | default | meaning |", "| --- | --- | --- | --- |"]
            + all.map { "|\($0.flag.map { " `--\($0)` " } ?? " ")| `\($0.variable)` | \($0.shownDefault) | \($0.meaning) |" })
            .joined(separator: "\n")
    }

    /// The table for `--help`: each variable (and flag), what it means, its default.
    public static var helpText: String {
        let plain = { (text: String) in text.replacingOccurrences(of: "`", with: "") }
        return "Environment variables (a flag, when given, wins; a blank variable counts as unset):\n"
            + all.map { setting in
                let name = setting.variable + (setting.flag.map { " (--\($0))" } ?? "")
                let fallback = if case .none = setting.fallback { "" } else { " (default: \(plain(setting.shownDefault)))" }
                return "  \(name): \(plain(setting.meaning))\(fallback)"
            }.joined(separator: "\n")
    }
}
