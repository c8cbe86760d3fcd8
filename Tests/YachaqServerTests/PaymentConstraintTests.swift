import Foundation
import PostgresNIO
import Testing
import YachaqStore
import YachaqTestSupport

/// The paid totals are guarded by the schema itself, not only by the store's lock: payments
/// written straight into the table by 16 concurrent clients, with no lock taken first,
/// still cannot pay a funding line more than its amount.
@Suite struct PaymentConstraintTests {
    @Test func aLineIsNeverPaidMoreThanItsAmountEvenWithoutTheStoresLock() async throws {
        let world = try await World.make()
        let line = try #require(world.contractA.funding.first { $0.kind == .counterpartCash })  // S/ 900
        let client = TestDatabase.makeClient(world.endpoint, maximumConnections: 16)
        let outcomes = try await withThrowingTaskGroup(of: Void.self) { running in
            running.addTask { await client.run() }
            defer { running.cancelAll() }
            let database = Database(client, connectionWait: Patience.wait)
            return try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 1...16 {
                    group.addTask {
                        do {
                            try await database.query(
                                """
                                INSERT INTO payments (contract_id, funding_id, amount_cents, paid_on, method, payer_organization_id)
                                VALUES (\(world.contractA.id), \(line.id), 10000, '2027-05-02', 'cash', \(world.communityA.id))
                                """)
                            return true
                        } catch StoreError.conflict {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
        }
        #expect(outcomes.filter { $0 }.count == 9)
        #expect(try await world.count("SELECT paid_cents::int FROM contract_funding WHERE id = \(line.id)") == 90_000)
        #expect(try await world.count("SELECT sum(amount_cents)::int FROM payments") == 90_000)
    }

    @Test func paymentsCannotBeChangedOrDeleted() async throws {
        let world = try await World.make()
        let line = try #require(world.contractA.funding.first)
        try await TestDatabase.withClient(world.endpoint) { database in
            try await database.query(
                """
                INSERT INTO payments (contract_id, funding_id, amount_cents, paid_on, method, payer_organization_id)
                VALUES (\(world.contractA.id), \(line.id), 10000, '2027-05-02', 'cash', \(line.sourceOrganizationID))
                """)
            await #expect(throws: (any Error).self) { try await database.query("UPDATE payments SET amount_cents = 1") }
            await #expect(throws: (any Error).self) { try await database.query("DELETE FROM payments") }
            await #expect(throws: (any Error).self) { try await database.query("DELETE FROM contract_transitions") }
        }
        #expect(try await world.count("SELECT count(*) FROM payments") == 1)
    }
}
