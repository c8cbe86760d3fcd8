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

    /// An operator's own CA (CloudNativePG's `<cluster>-ca`): the pool and the migrator both
    /// verify the server against it, and a CA file that is not there stops the connection.
    @Test func verifiesTheServerAgainstTheGivenCertificateAuthority() throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://app:pw@yachaq-db-rw:5432/yachaq?sslmode=require&sslrootcert=/no/such/ca.crt")
        #expect(endpoint.rootCertificates == "/no/such/ca.crt" && endpoint.tls == .require)
        #expect(endpoint.libpqConnectionString.contains("sslmode='verify-full' sslrootcert='/no/such/ca.crt'"))
        guard case .file(let path) = endpoint.clientTLS.trustRoots else {
            Issue.record("the CA file is not the pool's trust root")
            return
        }
        #expect(path == "/no/such/ca.crt")
        #expect(throws: (any Error).self) { try endpoint.connectionConfiguration() }
        let plain = try DatabaseEndpoint(url: "postgres://app:pw@db/yachaq?sslmode=require")
        #expect(plain.rootCertificates == nil && plain.libpqConnectionString.contains("sslmode='require'"))
    }

    /// A socket folder, as libpq takes it (issue 27, finding 11: it was taken for a host name,
    /// and an export waited a minute for a server that was never going to answer).
    @Test func readsASocketFolder() throws {
        let encoded = try DatabaseEndpoint(url: "postgres://yachaq@%2Fvar%2Frun%2Fpostgresql/market")
        #expect(encoded.host == .socketDirectory("/var/run/postgresql") && encoded.database == "market")
        let named = try DatabaseEndpoint(url: "postgresql://yachaq@localhost/market?host=/tmp/pg")
        #expect(named.host == .socketDirectory("/tmp/pg") && named.username == "yachaq")
        #expect(try DatabaseEndpoint(url: "postgres:///market?host=/tmp/pg").host == .socketDirectory("/tmp/pg"))
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
