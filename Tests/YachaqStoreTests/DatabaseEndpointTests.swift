import Testing
@testable import YachaqStore

@Suite struct DatabaseEndpointTests {
    @Test func readsADatabaseURL() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://yachaq:s%40cret@db.internal:6543/market?sslmode=require")
        #expect(endpoint.host == .tcp("db.internal"))
        #expect(endpoint.port == 6543)
        #expect(endpoint.username == "yachaq")
        #expect(endpoint.password == "s@cret")
        #expect(endpoint.database == "market")
        #expect(endpoint.tls == .require)
        #expect(!endpoint.redactedDescription.contains("cret"))
    }

    @Test func defaultsPortDatabaseAndTLS() throws {
        let endpoint = try DatabaseEndpoint(url: "postgresql://me@localhost")
        #expect(endpoint.port == 5432 && endpoint.database == "postgres" && endpoint.tls == .prefer)
    }

    @Test(arguments: ["mysql://x@y/z", "not a url", "postgres:///nohost"])
    func refusesWhatIsNotAPostgresURL(_ text: String) {
        #expect(throws: DatabaseEndpointError.self) { try DatabaseEndpoint(url: text) }
    }

    @Test func quotesLibpqValues() {
        let endpoint = DatabaseEndpoint(host: .tcp("h"), username: "u", password: "it's\\x", database: "d")
        #expect(endpoint.libpqConnectionString.contains("password='it\\'s\\\\x'"))
    }

    /// Timeouts from the environment may be absurd; they clamp instead of trapping.
    @Test func durationsSaturateInsteadOfTrapping() {
        #expect(Duration.milliseconds(1500).saturating(per: 1000) == 1500)
        #expect(Duration.milliseconds(1500).saturating(per: 1_000_000_000) == 1_500_000_000)
        #expect(Duration.seconds(Int64.max).saturating(per: 1_000_000_000) == .max)
        #expect(Duration.milliseconds(Int64.max).saturating(per: 1000) == Int64.max / 1000 * 1000 + 807)
    }
}
