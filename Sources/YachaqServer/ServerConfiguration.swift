import YachaqActions
import YachaqAssets
import YachaqDomain
import YachaqSMS
import YachaqStore

/// What the HTTP server needs to know; the command line fills it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// How long a sign-in token lives.
    public var sessionLifetime: Duration
    /// How long a request waits for a database connection before it is answered 503.
    public var connectionWait: Duration
    /// How long any request may take before it is answered 503.
    public var requestTimeout: Duration
    /// How long a connection may stay open without a request in progress (before its first
    /// request's head has arrived, or between requests) before it is closed.
    public var idleTimeout: Duration
    /// Connections open at once, in all and from one client address (`ConnectionLimits`).
    public var connectionLimits: ConnectionLimits.Limits
    /// How long `GET /health` waits for the database before it answers 503: a load balancer
    /// is waiting, and an instance this slow to reach its database should get no traffic.
    public var healthCheckTimeout: Duration
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed; `local` names the
    /// in-process test client, which has no address.
    public var trustedProxies: Set<String>
    /// Password checks (bcrypt) running or waiting at once, in all and per client address, and
    /// how long a sign-in waits; more are refused with 429 instead of slowing every sign-in down.
    public var passwordChecks: PasswordHasher.Limits
    /// The OCDS prefix of this publisher's `ocid`s (registered with the Open Contracting Partnership).
    public var ocidPrefix: String
    /// With a read replica: how far behind it may fall before reads leave it for the primary.
    public var replicaMaxLag: Duration
    /// Whether every request gets a span (an OpenTelemetry tracer has been bootstrapped).
    public var tracing = false
    /// Where the pages and openapi.yaml come from (by default, the binary itself).
    public var assets: AssetTree
    /// Today in Peru (the clock's; a test world's own day in tests): the last day a payment
    /// may be dated.
    public var today: PeruToday = .system
    /// The SMS gateway's door: its secret and addresses (`POST /v1/sms/inbound`).
    public var sms = SMSDoor()
    /// Where texts are sent; without it they stay queued in the outbox.
    public var smsGateway: SMSGatewaySettings?
    /// The dispatcher's retries, rate limit and quiet hours.
    public var smsPacing = SMSPacing()

    /// Each default is the setting's in `Setting.all` (the password checks' limits and the
    /// day are not settings).
    public init(
        host: String = Setting.host.text, port: Int = Setting.port.number,
        sessionLifetime: Duration = .seconds(Setting.sessionDays.number * 24 * 3600),
        connectionWait: Duration = .milliseconds(Setting.connectionWaitMs.number),
        requestTimeout: Duration = .milliseconds(Setting.requestTimeoutMs.number),
        healthCheckTimeout: Duration = .milliseconds(Setting.healthTimeoutMs.number), trustedProxies: Set<String> = [],
        passwordChecks: PasswordHasher.Limits = .init(), ocidPrefix: String = Setting.ocidPrefix.text,
        replicaMaxLag: Duration = .milliseconds(Setting.readMaxLagMs.number),
        idleTimeout: Duration = .milliseconds(Setting.idleTimeoutMs.number), connectionLimits: ConnectionLimits.Limits = .init(),
        assets: AssetTree = .embedded
    ) {
        self.host = host
        self.port = port
        self.sessionLifetime = sessionLifetime
        self.connectionWait = connectionWait
        self.requestTimeout = requestTimeout
        self.healthCheckTimeout = healthCheckTimeout
        self.trustedProxies = trustedProxies
        self.passwordChecks = passwordChecks
        self.ocidPrefix = ocidPrefix
        self.assets = assets
        self.replicaMaxLag = replicaMaxLag
        self.idleTimeout = idleTimeout
        self.connectionLimits = connectionLimits
    }
}
