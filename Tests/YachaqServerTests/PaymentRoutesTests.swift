import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqDomain
import YachaqServer
import YachaqTestSupport

/// Payments through HTTP: never more than agreed, whatever the concurrency or the retries;
/// corrections; each payer's line; the days a payment may be dated.
@Suite struct PaymentRoutesTests {
    typealias JSON = [String: Any]

    /// 32 payments of S/ 70 at once on a line of S/ 900: never more than the line, every
    /// refused one 409.
    @Test func concurrentPaymentsNeverExceedTheAgreedAmount() async throws {
        let world = try await World.make()
        let path = "/v1/contracts/\(world.contractA.id)/payments"
        let statuses = try await withApp(on: world.endpoint, client: TestDatabase.makeClient(world.endpoint, maximumConnections: 12)) {
            client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 1...32 {
                    group.addTask {
                        Int(
                            try await client.send(
                                .post, path, token: world.tokens[.community], json: ContractRoutesTests.payment(world, cents: 7_000)
                            )
                            .status
                            .code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.filter { $0 == 201 }.count == 12)  // 12 × 7,000 = 84,000 ≤ 90,000 < 13 × 7,000
        #expect(statuses.filter { $0 == 409 }.count == 20)
        #expect(try await world.count("SELECT sum(amount_cents)::int FROM payments WHERE contract_id = \(world.contractA.id)") == 84_000)
        #expect(try await world.count("SELECT paid_cents::int FROM contracts WHERE id = \(world.contractA.id)") == 84_000)
    }

    /// The same payment sent 100 times with one key, 10 of them at once: one row.
    @Test func oneHundredRetriesOfOnePaymentWriteOneRow() async throws {
        let world = try await World.make()
        let path = "/v1/contracts/\(world.contractA.id)/payments"
        let march = ContractRoutesTests.payment(world, cents: 5_000)
        let ids = try await withApp(on: world.endpoint, client: TestDatabase.makeClient(world.endpoint, maximumConnections: 12)) { client in
            @Sendable func send(_ key: String, _ json: String? = nil, token: String? = world.tokens[.community]) async throws
                -> TestResponse
            {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(token!)"
                headers[.contentType] = "application/json"
                headers[.init("Idempotency-Key")!] = key
                return try await client.execute(uri: path, method: .post, headers: headers, body: .init(string: json ?? march))
            }
            var ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 1...10 { group.addTask { try await send("cuota-marzo").object()["id"] as? String } }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            for _ in 1...90 { ids.append(try await send("cuota-marzo").object()["id"] as? String) }
            // The same key with another body is a mistake, not a retry.
            try await send("cuota-marzo", ContractRoutesTests.payment(world, cents: 5_001)).problem(.unprocessableContent)
            // Keys are the organisation's own: staff's identical key is another payment.
            #expect(try await send("cuota-marzo", token: world.tokens[.staff]).status == .created)
            return ids
        }
        #expect(ids.count == 100 && Set(ids).count == 1 && ids[0] != nil)
        #expect(try await world.count("SELECT count(*) FROM payments WHERE contract_id = \(world.contractA.id)") == 2)
        #expect(try await world.count("SELECT count(*) FROM audit_log WHERE entity = 'payment'") == 2)
    }

    @Test func correctionsUndoAtMostWhatWasPaid() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        let path = "/v1/contracts/\(world.contractA.id)/payments"
        try await withApp(on: world.endpoint) { client in
            let paid = try await client.send(.post, path, token: community, json: ContractRoutesTests.payment(world, cents: 10_000))
                .object()
            let id = try #require(paid["id"] as? String)
            let corrected = try await client.send(
                .post, path, token: community,
                json: #"{"amount_cents":-4000,"corrects_payment_id":"\#(id)","reference":"Recibo mal sumado"}"#)
            #expect(corrected.status == .created, "\(String(buffer: corrected.body))")
            #expect(try corrected.object()["funding_kind"] as? String == "counterpart_cash")
            // Taking back 7,000 more would leave the line at -1,000.
            try await client.send(.post, path, token: community, json: #"{"amount_cents":-7000,"corrects_payment_id":"\#(id)"}"#)
                .problem(.conflict)
            try await client.send(.post, path, token: community, json: #"{"amount_cents":-100,"corrects_payment_id":"\#(UUID())"}"#)
                .problem(.unprocessableContent)
            try await client.send(.post, path, token: community, json: #"{"amount_cents":100,"corrects_payment_id":"\#(id)"}"#)
                .problem(.unprocessableContent)
            let contract = try await client.send(.get, "/v1/contracts/\(world.contractA.id)", token: community).object()
            #expect(contract["paid_cents"] as? Int == 6_000 && contract["balance_cents"] as? Int == 294_000)
        }
        #expect(try await world.count("SELECT count(*) FROM payments") == 2)
    }

    @Test func paymentsDrawOnTheirPayersLine() async throws {
        let world = try await World.make()
        let community = world.tokens[.community]
        let path = "/v1/contracts/\(world.contractA.id)/payments"
        try await withApp(on: world.endpoint) { client in
            // The municipality funds no line of this contract.
            let problem = try await client.send(
                .post, path, token: community, json: ContractRoutesTests.payment(world, cents: 100, payer: world.municipality.id)
            )
            .problem(.unprocessableContent)
            #expect((problem["errors"] as? [JSON])?.first?["field"] as? String == "payer_organization_id")
            try await client.send(
                .post, path, token: community,
                json: ContractRoutesTests.payment(world, cents: 100, payer: world.agency.id, kind: "municipal")
            ).problem(.unprocessableContent)
            // More than the agency's line (210,000), though less than the contract's balance.
            try await client.send(
                .post, path, token: community, json: ContractRoutesTests.payment(world, cents: 210_001, payer: world.agency.id)
            )
            .problem(.conflict)
            // Cash on a cash line; in kind only on an in-kind line.
            let inKind = ContractRoutesTests.payment(world, cents: 100).replacingOccurrences(of: "bank_transfer", with: "in_kind")
            try await client.send(.post, path, token: community, json: inKind).problem(.unprocessableContent)
            // A draft takes no payments.
            try await client.send(
                .post, "/v1/contracts/\(world.contractB.id)/payments", token: world.tokens[.staff],
                json: ContractRoutesTests.payment(world, cents: 100, payer: world.communityB.id)
            ).problem(.conflict)
        }
        #expect(try await world.count("SELECT count(*) FROM payments") == 0)
    }

    /// A payment is dated within a year of the contract's days and never after today in Peru
    /// (issue 27, finding 6): 1900 and 2199 are typing mistakes, a day after today is not yet;
    /// each is refused naming the field and the days allowed, and nothing is stored. A
    /// correction is dated today. (This world's today is 2027-12-31; then a later one.)
    @Test func aPaymentIsDatedNearTheContractsDaysAndNotAfterToday() async throws {
        let world = try await World.make()
        let path = "/v1/contracts/\(world.contractA.id)/payments"  // 2027-05-01 to 2027-05-31
        @Sendable func pay(_ client: any TestClientProtocol, on day: String) async throws -> TestResponse {
            try await client.send(
                .post, path, token: world.tokens[.community],
                json: #"{"amount_cents":100,"paid_on":"\#(day)","method":"cash","payer_organization_id":"\#(world.communityA.id)"}"#)
        }
        try await withApp(on: world.endpoint) { client in
            for day in ["1900-01-01", "2199-01-01", "2026-04-30", "2028-01-01"] {
                let refused = try await pay(client, on: day).problem(.unprocessableContent)
                #expect((refused["errors"] as? [[String: String]])?.first?["field"] == "paid_on", "\(day)")
                #expect((refused["detail"] as? String)?.contains("2026-05-01 to 2027-12-31") == true, "\(refused)")
            }
            #expect(try await pay(client, on: "2026-05-01").status == .created)  // an advance at signing, a year early
            let today = try await pay(client, on: "2027-12-31")
            #expect(today.status == .created)
            let correction = try await client.send(
                .post, path, token: world.tokens[.community],
                json: #"{"amount_cents":-100,"corrects_payment_id":"\#(try today.object()["id"] as? String ?? "")","#
                    + #""payer_organization_id":"\#(world.communityA.id)"}"#)
            #expect(try correction.object()["paid_on"] as? String == "2027-12-31", "a correction is dated today")
        }
        var later = roomyConfiguration
        later.today = .fixed(try #require(CalendarDate("2028-09-01")))
        try await withApp(on: world.endpoint, configuration: later) { client in
            #expect(try await pay(client, on: "2028-05-30").status == .created)  // the last instalment, a year late
            let refused = try await pay(client, on: "2028-05-31").problem(.unprocessableContent)
            #expect((refused["detail"] as? String)?.contains("2026-05-01 to 2028-05-30") == true, "\(refused)")
        }
        #expect(try await world.count("SELECT count(*) FROM payments WHERE contract_id = \(world.contractA.id)") == 4)
    }
}
