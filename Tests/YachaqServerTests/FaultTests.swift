import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Synchronization
import Testing
import YachaqActions
import YachaqServer
import YachaqStore
import YachaqTestSupport

/// Failures of the parts around a request (issue 9): the pool must never lose a
/// connection, and with the database gone every route answers 503 fast, then serves again.
@Suite struct FaultTests {
    /// 1,000 concurrent registrations with one RUC once kept about one pool connection per
    /// 150 conflicts (a PostgresNIO row stream that never released its lease, see
    /// `Database`), until every route hung. Afterwards every connection of the pool must be
    /// free: all of them are leased at once, which a single leaked one would make impossible.
    @Test func conflictingInsertsLeaveNoConnectionCheckedOut() async throws {
        let world = try await World.make()
        let pool = TestDatabase.makeClient(world.endpoint)
        let statuses = try await withApp(on: world.endpoint, client: pool) { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                var statuses: [Int] = []
                for index in 0..<1000 {
                    if index >= 16, let status = try await group.next() { statuses.append(status) }
                    group.addTask {
                        let body = #"{"name":"Asociación \#(index)","kind":"association","ubigeo":"080101","tax_id":"20123456789"}"#
                        return Int(try await client.send(.post, "/v1/organizations", token: world.tokens[.staff], json: body).status.code)
                    }
                }
                for try await status in group { statuses.append(status) }
                return statuses
            }
            try await Self.leaseAll(TestDatabase.poolSize, from: pool)
            return statuses
        }
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.filter { $0 == 409 }.count == 999)
    }

    /// A request still running at its deadline is cancelled and answered 503 with
    /// Retry-After (here a sign-in whose password check never ends, past a 50 ms deadline).
    @Test func aRequestPastItsDeadlineIs503() async throws {
        let world = try await World.make()
        var hurried = roomyConfiguration
        hurried.requestTimeout = .milliseconds(50)
        let endless = PasswordHasher { _, _ in
            try await Task.sleep(for: Patience.wait)
            return false
        }
        try await withApp(on: world.endpoint, configuration: hurried, hasher: endless) { client in
            let response = try await client.send(.post, "/v1/auth/login", json: #"{"login":"staff-user","password":"\#(World.password)"}"#)
            _ = try response.problem(.serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
        }
    }

    /// Leases `count` connections at the same time, or fails once `Patience.condition` is out.
    static func leaseAll(_ count: Int, from pool: PostgresClient) async throws {
        let arrived = Shared(0)
        let deadline = ContinuousClock.now + Patience.condition
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await pool.withConnection { _ in
                        arrived.withLock { $0 += 1 }
                        while arrived.withLock({ $0 }) < count {
                            guard ContinuousClock.now < deadline else { throw LeakFound(leased: arrived.withLock { $0 }, of: count) }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Polls `condition` every 20 ms until it holds, or throws once `Patience.condition` is out.
    static func waitUntil(_ condition: () -> Bool) async throws {
        guard try await eventually(every: .milliseconds(20), condition) else { throw TimedOut() }
    }

    struct TimedOut: Error {}

    struct LeakFound: Error, CustomStringConvertible {
        let leased: Int, of: Int
        var description: String { "only \(leased) of the pool's \(of) connections could be leased at once" }
    }

    /// The database stopped under a steady stream of writes: every route answers 503 with
    /// Retry-After after the 1 s connection wait (not after the pool's minute-long circuit
    /// breaker, not 500), the service serves again once the database is back without a
    /// restart, and every write it acknowledged is there. The bounds tell a bounded wait from
    /// none and are wide enough for a loaded machine: 20 s to answer (the pool alone queues
    /// for a minute), 30 s to serve again (under a second on an idle machine).
    @Test func databaseDownAnswers503FastAndComesBack() async throws {
        let (cluster, endpoint) = try TestDatabase.privateMigratedCluster()
        let staff = try await World.staffToken(on: endpoint)
        // The production defaults: a 1 s wait for a connection.
        try await withApp(on: endpoint, configuration: ServerConfiguration()) { client in
            let acknowledged = Shared<[String]>([]), unexpected = Shared<[Int]>([]), writing = Shared(true)
            let writer = Task {
                var index = 0
                while writing.withLock({ $0 }) {
                    index += 1
                    let name = "Comunidad de carga \(index)"
                    let response = try await client.send(
                        .post, "/v1/organizations", token: staff, json: #"{"name":"\#(name)","kind":"community","ubigeo":"080101"}"#)
                    switch response.status {
                    case .created: acknowledged.withLock { $0.append(name) }
                    case .serviceUnavailable: try await Task.sleep(for: .milliseconds(20))
                    default: unexpected.withLock { $0.append(Int(response.status.code)) }
                    }
                }
            }
            // Writes acknowledged before the stop…
            try await Self.waitUntil { acknowledged.withLock { $0.count } >= 1 }
            try cluster.stop()
            for path in ["/v1/providers", "/v1/districts/080101", "/v1/requests", "/health"] {
                let started = ContinuousClock.now
                let response = try await client.execute(uri: path, method: .get)
                let took = ContinuousClock.now - started
                _ = try response.problem(.serviceUnavailable)
                #expect(response.headers[.retryAfter] != nil, "\(path)")
                #expect(took < .seconds(20), "\(path) answered after \(took)")
            }
            let signIn = try await client.send(.post, "/v1/auth/login", json: #"{"login":"staff-user","password":"\#(World.password)"}"#)
            _ = try signIn.problem(.serviceUnavailable)

            try cluster.start()
            let back = ContinuousClock.now
            var status = HTTPResponse.Status.serviceUnavailable
            while status != .ok, ContinuousClock.now - back < .seconds(30) {
                status = try await client.execute(uri: "/v1/districts/080101", method: .get).status
                if status != .ok { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == .ok, "not serving 30 s after the database returned")
            // …and after the return.
            let before = acknowledged.withLock { $0.count }
            try await Self.waitUntil { acknowledged.withLock { $0.count } > before }
            writing.withLock { $0 = false }
            try await writer.value
            #expect(unexpected.withLock { $0 }.isEmpty)
            let names = acknowledged.withLock { $0 }
            let stored = try await TestDatabase.withClient(endpoint) { database in
                try await database.query("SELECT count(*) FROM organizations WHERE name = ANY(\(names))").collect().first?.decode(Int.self)
            }
            #expect(stored == names.count)
        }
    }
}

/// A value tasks share, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}
