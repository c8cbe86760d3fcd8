import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database lives and how to sign in to it: one value for both the
/// service's pool (PostgresNIO) and the migrator (libpq).
public struct DatabaseEndpoint: Sendable, Equatable {
    public enum Host: Sendable, Equatable {
        case tcp(String)
        /// A folder holding the server's socket `.s.PGSQL.<port>` (the embedded cluster).
        case socketDirectory(String)
    }

    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: Host
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// A PEM file of the certificate authorities the server's certificate must come from
    /// (`sslrootcert`; a Kubernetes operator's own CA, say), instead of the system's.
    public var rootCertificates: String?

    public init(
        host: Host, port: Int = 5432, username: String, password: String? = nil, database: String, tls: TLSMode = .disable,
        rootCertificates: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificates = rootCertificates
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=require&sslrootcert=/ca.crt`.
    /// With TLS the server's certificate is always verified, against `sslrootcert` when given
    /// (stricter than libpq's `require`, which only encrypts).
    ///
    /// A host that is a folder is the folder of the server's socket, as libpq reads it: written
    /// percent-encoded in the host (`postgres://yachaq@%2Fvar%2Frun%2Fpostgresql/yachaq`) or as
    /// `?host=/var/run/postgresql`.
    public init(url string: String) throws {
        guard let url = URLComponents(string: string), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw DatabaseEndpointError.malformedURL
        }
        let named = url.queryItems?.first(where: { $0.name == "host" })?.value.flatMap { $0.isEmpty ? nil : $0 }
        guard let host = named ?? url.host?.removingPercentEncoding, !host.isEmpty else { throw DatabaseEndpointError.malformedURL }
        let database = String(url.path.drop(while: { $0 == "/" }))
        let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        let tls: TLSMode =
            switch mode {
            case "disable": .disable
            case "allow", "prefer": .prefer
            default: .require
            }
        self.init(
            host: host.hasPrefix("/") ? .socketDirectory(host) : .tcp(host),
            port: url.port ?? 5432,
            username: url.user?.removingPercentEncoding ?? "postgres",
            password: url.password?.removingPercentEncoding,
            database: database.isEmpty ? "postgres" : database,
            tls: tls,
            rootCertificates: url.queryItems?.first(where: { $0.name == "sslrootcert" })?.value.flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    /// Configuration for PostgresNIO's `PostgresClient`. `statementTimeout`: the server
    /// cancels any statement running longer (its error reaches clients as 503), so no
    /// request holds a connection for longer than that.
    ///
    /// No minimum of connections, and a short `idleTimeout`, for two faults of the pool
    /// (postgres-nio 1.33):
    ///
    /// - With a minimum, the pool traps when PostgreSQL dies under load: closing connections
    ///   still count towards the minimum when one closes (no replacement is made), so fewer
    ///   than the minimum are active when the next lease comes, and
    ///   `createNewDemandConnectionIfPossible` fails its precondition. Found by
    ///   `Faults/harness.py` (`pg_ctl stop -m immediate` under 16 clients): the service died.
    /// - The pool starts an idle-timeout timer each time a connection goes back idle, a
    ///   `Task.sleep` it cancels on the next lease; a cancelled sleep lives until its time with
    ///   its task. At 9,000 requests/s and the default 60 s the service grew 1 KB a request
    ///   within that window (47 → 348 MB in 30 s, heaptrack: `swift_task_create_common` under
    ///   `_sleep`); 5 s bounds that to a few MB. Keep-alive is off for the same reason: a
    ///   connection the server closed is dropped by the pool when its socket closes.
    public func clientConfiguration(
        maximumConnections: Int = 20, idleTimeout: Duration = .seconds(5), statementTimeout: Duration? = nil,
        connectTimeout: Duration = .seconds(10)
    ) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch host {
        case .socketDirectory(let directory):
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)",
                username: username, password: password, database: database
            )
        case .tcp(let hostname):
            let tlsConfiguration: PostgresClient.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(clientTLS)
                case .require: .require(clientTLS)
                }
            configuration = .init(
                host: hostname, port: port,
                username: username, password: password, database: database,
                tls: tlsConfiguration
            )
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.connectionIdleTimeout = idleTimeout
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = connectTimeout
        if let statementTimeout {
            let milliseconds = min(statementTimeout.saturating(per: 1000), Int64(Int32.max))  // PostgreSQL takes an int
            configuration.options.additionalStartupParameters.append(("statement_timeout", String(max(1, milliseconds))))
        }
        return configuration
    }

    /// TLS that verifies the server, against `rootCertificates` when given.
    var clientTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        return configuration
    }

    /// Configuration for one connection of its own, outside the pool (`SignInListener`).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        switch host {
        case .socketDirectory(let directory):
            return .init(unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        case .tcp(let hostname):
            let tlsConfiguration: PostgresConnection.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: clientTLS))
                case .require: .require(try NIOSSLContext(configuration: clientTLS))
                }
            return .init(host: hostname, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
        }
    }

    /// A libpq connection string (keyword/value form, values quoted as libpq wants).
    public var libpqConnectionString: String { libpqConnectionString(application: "yachaq-migrate", withPassword: true) }

    /// The same for a program run by us (pg_dump), which gets the password from
    /// `PGPASSWORD` instead, out of sight of `ps`.
    public func libpqConnectionString(application: String, withPassword: Bool) -> String {
        var parts: [(String, String)] = []
        switch host {
        case .tcp(let hostname): parts.append(("host", hostname))
        case .socketDirectory(let directory): parts.append(("host", directory))
        }
        parts.append(("port", String(port)))
        parts.append(("user", username))
        if withPassword, let password { parts.append(("password", password)) }
        parts.append(("dbname", database))
        if case .tcp = host {
            // libpq verifies only when asked: with a CA file, as the pool does.
            parts.append(("sslmode", rootCertificates != nil && tls == .require ? "verify-full" : tls.rawValue))
            if let rootCertificates { parts.append(("sslrootcert", rootCertificates)) }
        }
        parts.append(("application_name", application))
        return parts.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(escaped)'"
        }.joined(separator: " ")
    }

    /// For logs: never shows the password.
    public var redactedDescription: String {
        switch host {
        case .tcp(let hostname): "postgres://\(username)@\(hostname):\(port)/\(database)"
        case .socketDirectory(let directory): "postgres://\(username)@[\(directory)]/\(database)"
        }
    }
}

public enum DatabaseEndpointError: Error, CustomStringConvertible {
    case malformedURL
    public var description: String {
        "DATABASE_URL must look like postgres://user:password@host:5432/database"
    }
}
