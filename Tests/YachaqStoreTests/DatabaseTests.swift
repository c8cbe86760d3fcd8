import Foundation
import PostgresNIO
import Synchronization
import Testing
@testable import YachaqStore
import YachaqTestSupport

@Suite struct DatabaseTests {
    /// A statement on a connection that has closed (its server gone) fails at once with
    /// `DatabaseUnavailable`. postgres-nio's own `query` drops it and never answers there.
    @Test func aStatementOnAClosedConnectionFailsInsteadOfHanging() async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { database in
            try await database.withConnection { connection in
                try await connection.close()
                await #expect(throws: DatabaseUnavailable.self) {
                    try await connection.runTransaction(logger: TestDatabase.logger) {
                        try await $0.run("SELECT 1", logger: TestDatabase.logger)
                    }
                }
            }
        }
    }

    /// An error PostgreSQL raises after a statement's first rows (an AFTER trigger at the end
    /// of an `INSERT … RETURNING`) comes out of `execute`, which reads every row. Left unread
    /// (`run` without reading), the first case throws nothing: the transaction fails unseen
    /// and PostgreSQL answers its COMMIT with a plain ROLLBACK.
    @Test(arguments: ["INSERT INTO late_failure VALUES (1), (2) RETURNING n", "INSERT INTO late_failure VALUES (1), (2)"])
    func anErrorAfterTheRowsIsNeverLost(_ statement: String) async throws {
        try await TestDatabase.withClient(try await TestDatabase.fresh()) { database in
            try await database.query("CREATE TABLE late_failure (n int)")
            try await database.query(
                """
                CREATE FUNCTION fail_late() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'late' USING ERRCODE = 'check_violation'; END $$
                """)
            try await database.query(
                "CREATE TRIGGER late AFTER INSERT ON late_failure FOR EACH STATEMENT EXECUTE FUNCTION fail_late()")
            await #expect(throws: PSQLError.self) {
                try await database.withConnection { connection in
                    try await connection.runTransaction(logger: TestDatabase.logger) {
                        try await $0.execute(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
                    }
                }
            }
            #expect(try await database.query("SELECT count(*) FROM late_failure").collect().first?.decode(Int.self) == 0)
        }
    }

    /// With a statement timeout, PostgreSQL itself cancels a longer statement (57014, which
    /// the HTTP layer answers 503), so no request holds a connection past it. (A second, so
    /// that the `SELECT 1` after it is never that slow, even on a loaded machine.)
    @Test func theStatementTimeoutCancelsLongStatements() async throws {
        let endpoint = try await TestDatabase.fresh()
        let client = PostgresClient(
            configuration: try endpoint.clientConfiguration(maximumConnections: 1, statementTimeout: .seconds(1)),
            backgroundLogger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let database = Database(client, connectionWait: Patience.wait)
            do {
                try await database.query("SELECT pg_sleep(60)")
                Issue.record("a 60 s statement outlived a 1 s statement timeout")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "57014")
            }
            // The connection is back in the pool and usable.
            #expect(try await database.query("SELECT 1").collect().first?.decode(Int.self) == 1)
        }
    }

    /// The pool's only connection is busy: a second caller is told `DatabaseUnavailable`
    /// after its wait instead of queueing until the first is done. The first holds it until
    /// the second has its answer, however long the machine takes to get there.
    @Test func waitingForAConnectionEndsAfterTheWait() async throws {
        let endpoint = try await TestDatabase.fresh()
        let client = PostgresClient(
            configuration: try endpoint.clientConfiguration(maximumConnections: 1), backgroundLogger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let patient = Database(client, connectionWait: Patience.wait), hurried = Database(client, connectionWait: .milliseconds(100))
            let leased = Flag(), answered = Flag()
            let holder = Task {
                try await patient.withConnection { connection in
                    leased.raise()
                    while !answered.isRaised { try await Task.sleep(for: .milliseconds(10)) }
                    _ = try await connection.query("SELECT 1", logger: TestDatabase.logger).collect()
                }
            }
            #expect(try await eventually(every: .milliseconds(10)) { leased.isRaised })
            await #expect(throws: DatabaseUnavailable.self) { try await hurried.query("SELECT 1") }
            answered.raise()
            _ = try await holder.value
            // The connection went back to the pool, usable.
            #expect(try await patient.query("SELECT 1").collect().count == 1)
        }
    }
}

final class Flag: Sendable {
    private let value = Mutex(false)
    func raise() { value.withLock { $0 = true } }
    var isRaised: Bool { value.withLock { $0 } }
}
