import Foundation
import Testing
import YachaqServer

@testable import yachaq

/// The environment variables the README lists, read through swift-configuration.
@Suite struct SettingsTests {
    @Test func readsEachVariableByItsREADMEName() {
        let settings = Settings(environment: [
            "DATABASE_URL": "postgres://u:p@db:5432/yachaq", "YACHAQ_DATA_DIR": "/srv/pg", "YACHAQ_ASSETS_DIR": "/srv/assets",
            "YACHAQ_PG_BIN": "/opt/pg/bin", "PATH": "/usr/bin:/bin", "LOG_LEVEL": "debug", "YACHAQ_STATEMENT_TIMEOUT_MS": "2500",
            "HOST": "0.0.0.0", "PORT": "9000", "YACHAQ_SESSION_DAYS": "7", "YACHAQ_CONNECTION_WAIT_MS": "300",
            "YACHAQ_REQUEST_TIMEOUT_MS": "4000", "YACHAQ_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2", "YACHAQ_OCID_PREFIX": "ocds-213czf",
            "DATABASE_READ_URL": "postgres://u:p@db-ro:5432/yachaq", "YACHAQ_READ_MAX_LAG_MS": "2000", "LOG_FORMAT": "JSON",
            "YACHAQ_HEALTH_TIMEOUT_MS": "700", "YACHAQ_IDLE_TIMEOUT_MS": "2500", "YACHAQ_MAX_CONNECTIONS": "900",
            "YACHAQ_MAX_CONNECTIONS_PER_ADDRESS": "30",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
        ])
        #expect(settings.databaseURL == "postgres://u:p@db:5432/yachaq")
        #expect(settings.databaseReadURL == "postgres://u:p@db-ro:5432/yachaq" && settings.logFormat == "json")
        #expect(settings.tracesCollector == "http://collector:4318")
        #expect(settings.dataDirectory == "/srv/pg" && settings.assets.origin == "/srv/assets")
        #expect(settings.postgresSearchPath == ["/opt/pg/bin", "/usr/bin", "/bin"])
        #expect(settings.logLevel == .debug && settings.statementTimeout == .milliseconds(2500))
        let server = settings.server(host: nil, port: nil)
        #expect(server.host == "0.0.0.0" && server.port == 9000 && server.sessionLifetime == .seconds(7 * 24 * 3600))
        #expect(server.connectionWait == .milliseconds(300) && server.requestTimeout == .milliseconds(4000))
        #expect(server.replicaMaxLag == .milliseconds(2000) && server.healthCheckTimeout == .milliseconds(700))
        #expect(server.idleTimeout == .milliseconds(2500) && server.connectionLimits == .init(total: 900, perAddress: 30))
        #expect(server.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(server.ocidPrefix == "ocds-213czf" && settings.ocidPrefix == "ocds-213czf")
    }

    @Test func flagsWinAndBlankOrMalformedValuesLeaveTheDefaults() {
        let settings = Settings(environment: ["HOST": "0.0.0.0", "PORT": "x", "YACHAQ_DATA_DIR": "  ", "YACHAQ_SESSION_DAYS": "abc"])
        let server = settings.server(host: "127.0.0.2", port: nil)
        #expect(server.host == "127.0.0.2" && server.port == 8080 && server.sessionLifetime == .seconds(30 * 24 * 3600))
        #expect(settings.dataDirectory == "./.yachaq/pg" && settings.databaseURL == nil && server.trustedProxies.isEmpty)
        #expect(server.ocidPrefix == "ocds-yachaq" && server.healthCheckTimeout == .seconds(2))
        #expect(server.idleTimeout == .seconds(10) && server.connectionLimits == .init(total: 4096, perAddress: 256))
    }

    /// One table of settings: README.md's configuration table is it, row for row, and so is
    /// `--help` (made from it), so that neither drifts from what the code reads.
    @Test func theREADMEAndHelpListEverySettingAsTheCodeReadsIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "| flag | environment | default | meaning |"))
        let table = String(readme[start.lowerBound...]).components(separatedBy: "\n\n").first ?? ""
        #expect(table == Setting.markdownTable, "README.md's table should read:\n\(Setting.markdownTable)")
        let help = Yachaq.helpMessage()
        for setting in Setting.all {
            #expect(help.contains(setting.variable), "--help leaves out \(setting.variable)")
        }
        #expect(Setting.all.count == Set(Setting.all.map(\.variable)).count)
    }
}
