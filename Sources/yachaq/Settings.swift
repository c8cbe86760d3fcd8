import Foundation
import Logging
import YachaqServer
import YachaqStore

/// Every setting the commands read from the environment, read here and nowhere else, each
/// beside its default. A flag, when a command has one, wins over its variable; a blank
/// variable counts as unset. The libraries get what they need passed down.
struct Settings {
    private let values: [String: String]

    init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// `DATABASE_URL`: an external PostgreSQL instead of the embedded cluster.
    var databaseURL: String? { text("DATABASE_URL") }
    /// `YACHAQ_DATA_DIR`: folder of the embedded cluster.
    var dataDirectory: String { text("YACHAQ_DATA_DIR") ?? ".yachaq/pg" }
    /// `YACHAQ_SQL_DIR`: folder of the migration files (else ./SQL, else the source tree's).
    var migrations: URL { Migrator.defaultDirectory(configured: text("YACHAQ_SQL_DIR")) }
    /// `YACHAQ_PG_BIN`, then `PATH`: where initdb and pg_ctl are looked for.
    var postgresSearchPath: [String] {
        [text("YACHAQ_PG_BIN")].compactMap { $0 } + (text("PATH") ?? "").split(separator: ":").map(String.init)
    }
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error or critical.
    var logLevel: Logger.Level { text("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info }
    /// `YACHAQ_STATEMENT_TIMEOUT_MS`: a longer statement is cancelled (503).
    var statementTimeout: Duration { .milliseconds(number("YACHAQ_STATEMENT_TIMEOUT_MS") ?? 5000) }

    /// The server's settings; `host` and `port` are the flags, which win.
    func server(host: String?, port: Int?) -> ServerConfiguration {
        ServerConfiguration(
            host: host ?? text("HOST") ?? "127.0.0.1",
            port: port ?? number("PORT") ?? 8080,
            sessionLifetime: .seconds(max(1, number("YACHAQ_SESSION_DAYS") ?? 30) * 24 * 3600),
            connectionWait: .milliseconds(number("YACHAQ_CONNECTION_WAIT_MS") ?? 1000),
            requestTimeout: .milliseconds(number("YACHAQ_REQUEST_TIMEOUT_MS") ?? 10000),
            trustedProxies: Set(
                (text("YACHAQ_TRUSTED_PROXIES") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        )
    }

    private func text(_ name: String) -> String? {
        values[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    private func number(_ name: String) -> Int? {
        text(name).flatMap { Int($0) }
    }
}
