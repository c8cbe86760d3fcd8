import Foundation
import PostgresNIO
import YachaqDomain

/// Payments of contracts: append-only rows, each drawn on one funding line. The paid totals
/// they move are guarded by CHECK constraints (0010), whatever the concurrency.
public struct PaymentStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// An `Idempotency-Key` as the store keeps it: per organisation (`scope`), with the body
    /// it came with, to tell a retry from another payment under the same key.
    public struct Idempotency: Sendable {
        public let scope: UUID
        public let key: IdempotencyKey
        /// The request as JSON, compared as jsonb (member order and spacing do not count).
        public let request: String

        public init(scope: UUID, key: IdempotencyKey, request: String) {
            self.scope = scope
            self.key = key
            self.request = request
        }
    }

    /// Records the payment, or, for a key already used with the same request, returns the
    /// payment recorded then (`replayed`) and writes nothing. A retry racing its original
    /// waits on the key's row until the original commits, then finds it. `authorize` sees
    /// the locked contract's parties before anything is written, and throws to refuse (the
    /// routes pass the policy; the demo seeder, nothing).
    ///
    /// The hot write of the money side, in four statements: claim the key; lock the contract
    /// and find the line; insert the payment (its trigger moves and checks the paid totals)
    /// with the key's mark and the audit row in one statement; COMMIT.
    public func record(
        _ draft: PaymentDraft, on contractID: UUID, today: CalendarDate, idempotency: Idempotency?, actor: Identity?,
        authorize: @Sendable (_ buyer: UUID, _ provider: UUID) throws -> Void = { _, _ in }
    ) async throws -> Recorded {
        try await database.withTransaction(logger: logger) { connection in
            if let idempotency {
                let claimed = try await connection.run(
                    """
                    INSERT INTO idempotency_keys (scope, key, request) VALUES (\(idempotency.scope), \(idempotency.key.text),
                        \(idempotency.request)::jsonb)
                    ON CONFLICT DO NOTHING RETURNING true AS claimed
                    """, logger: logger
                ).records { try $0.value("claimed", as: Bool.self) }
                if claimed.isEmpty {
                    let payment = try await replay(idempotency, on: connection)
                    return Recorded(payment: payment, json: try AuditChange.json(payment), replayed: true)
                }
            }
            let locked = try await connection.run(
                """
                SELECT c.status, c.organization_id, c.provider_id, now() AS now,
                       (lower(c.period) - \(Self.graceDays)::int)::text AS earliest,
                       (upper(c.period) - 1 + \(Self.graceDays)::int)::text AS latest,
                       f.id AS line_id, f.kind AS line_kind, coalesce(f.lines, 0) AS lines
                FROM contracts c
                LEFT JOIN LATERAL (
                    SELECT id, kind, count(*) OVER () AS lines FROM contract_funding
                    WHERE contract_id = c.id AND source_organization_id = \(draft.payerOrganizationID)
                      AND (\(draft.fundingKind?.rawValue)::text IS NULL OR kind = \(draft.fundingKind?.rawValue)) AND amount_cents > 0
                    LIMIT 1) f ON true
                WHERE c.id = \(contractID) FOR UPDATE OF c
                """, logger: logger
            ).records(LockedContract.init).first
            guard let locked else { throw StoreError.notFound("No contract has id \(contractID).") }
            try authorize(locked.buyer, locked.provider)
            guard locked.status.takesPayments else {
                throw StoreError.conflict("The contract is \(locked.status.rawValue); payments are recorded once it is signed.")
            }
            let latest = min(locked.latest, today.text)
            if draft.correctsPaymentID == nil, let paid = draft.paidOn?.text, !(locked.earliest <= paid && paid <= latest) {
                throw InvalidInput(
                    field: "paid_on",
                    "must be from \(locked.earliest) to \(latest): within a year of the contract's days, and not after today in Peru")
            }
            let line =
                if let corrected = draft.correctsPaymentID {
                    try await correctedLine(corrected, of: contractID, payer: draft.payerOrganizationID, on: connection)
                } else {
                    try Self.payersLine(locked, draft)
                }
            let payment = Payment(
                id: UUID(), contractID: contractID, amountCents: draft.amountCents, paidOn: draft.paidOn?.text ?? today.text,
                method: draft.method ?? line.method, payerOrganizationID: line.payer, fundingID: line.id, fundingKind: line.kind,
                reference: draft.reference, correctsPaymentID: draft.correctsPaymentID, recordedBy: actor?.userID, createdAt: locked.now)
            var statement = SQLText()
            statement.append(
                """
                WITH payment AS (
                    INSERT INTO payments (id, contract_id, funding_id, amount_cents, paid_on, method, payer_organization_id, reference,
                                          corrects_payment_id, recorded_by)
                    VALUES ({}, {}, {}, {}, {}::date, {}, {}, {}, {}, {}) RETURNING id),
                keyed AS (UPDATE idempotency_keys SET payment_id = (SELECT id FROM payment) WHERE scope = {} AND key = {}),
                """, payment.id, contractID, line.id, payment.amountCents, payment.paidOn, payment.method.rawValue, line.payer,
                payment.reference, payment.correctsPaymentID, actor?.userID, idempotency?.scope, idempotency?.key.text)
            let change = try AuditChange(draft.correctsPaymentID == nil ? "pay" : "correct", before: nil, after: payment)
            AuditTrail.appendCTE([change], actor: actor?.userID, to: &statement)
            statement.append(" SELECT id FROM payment")
            try await connection.execute(statement.query, logger: logger)
            return Recorded(payment: payment, json: change.after ?? "", replayed: false)
        }
    }

    /// A payment recorded (or found by its key), with its JSON as the audit trail keeps it,
    /// which is the API's answer too: encoded once.
    public struct Recorded: Sendable {
        public let payment: Payment
        public let json: String
        /// Recorded by an earlier request with the same key.
        public let replayed: Bool
    }

    /// The payments of a contract, in the order they were recorded.
    public func list(contractID: UUID) async throws -> [Payment] {
        try await list(contractIDs: [contractID])
    }

    /// The payments of these contracts, in one query, in the order they were recorded.
    public func list(contractIDs: [UUID]) async throws -> [Payment] {
        try await database.query(
            """
            SELECT \(unescaped: Self.columns), f.kind AS funding_kind FROM payments p JOIN contract_funding f ON f.id = p.funding_id
            WHERE p.contract_id = ANY(\(contractIDs)) ORDER BY p.created_at, p.id
            """
        ).records(Payment.init)
    }

    /// The payment a key was first used for: 422 when the key came with another request.
    private func replay(_ idempotency: Idempotency, on connection: PostgresConnection) async throws -> Payment {
        let stored = try await connection.run(
            """
            SELECT request = \(idempotency.request)::jsonb AS same, payment_id FROM idempotency_keys
            WHERE scope = \(idempotency.scope) AND key = \(idempotency.key.text)
            """, logger: logger
        ).record { (same: try $0.value("same", as: Bool.self), payment: try $0.value("payment_id", as: UUID?.self)) }
        guard stored.same, let paymentID = stored.payment else {
            throw InvalidInput(field: "Idempotency-Key", "this key was used for another request; use a new key for a new payment")
        }
        return try await connection.run(
            """
            SELECT \(unescaped: Self.columns), f.kind AS funding_kind FROM payments p JOIN contract_funding f ON f.id = p.funding_id
            WHERE p.id = \(paymentID)
            """, logger: logger
        ).record(Payment.init)
    }

    /// How far before the work starts (an advance at signing) and after it ends (a late
    /// instalment) a payment may be dated: a year each way.
    static let graceDays = 365

    /// A funding line as a payment draws on it, with the method and payer it is paid with.
    typealias Line = (id: UUID, kind: FundingKind, payer: UUID, method: PaymentMethod)

    /// The contract as the payment's lock read it, with its payer's line (of the kind named).
    struct LockedContract {
        let status: ContractStatus
        let buyer: UUID
        let provider: UUID
        /// The transaction's time, which `created_at` defaults to.
        let now: Date
        /// The first and last day a payment may be dated (`graceDays` around the contract's).
        let earliest: String
        let latest: String
        let lineID: UUID?
        let lineKind: FundingKind?
        let lines: Int

        init(_ row: NamedColumns) throws {
            status = try row.value("status")
            buyer = try row.value("organization_id")
            provider = try row.value("provider_id")
            now = try row.value("now")
            earliest = try row.value("earliest")
            latest = try row.value("latest")
            lineID = try row.value("line_id")
            lineKind = try row.optional("line_kind")
            lines = try row.value("lines")
        }
    }

    /// The line a payment's payer funds (of the kind it names, when the payer funds more than
    /// one); 422 when there is none or several, or the method does not fit it.
    private static func payersLine(_ locked: LockedContract, _ draft: PaymentDraft) throws -> Line {
        guard let id = locked.lineID, let kind = locked.lineKind, let payer = draft.payerOrganizationID, let method = draft.method else {
            let field = draft.fundingKind == nil ? "payer_organization_id" : "funding_kind"
            throw InvalidInput(field: field, "the contract has no funding line of this payer\(draft.fundingKind == nil ? "" : " and kind")")
        }
        guard locked.lines == 1 else {
            throw InvalidInput(field: "funding_kind", "this payer funds several lines; say which kind this payment is")
        }
        guard method.fits(kind) else {
            throw InvalidInput(field: "method", "in_kind is the method of counterpart_in_kind lines, and the only one they take")
        }
        return (id, kind, payer, method)
    }

    /// A correction draws on the line of the payment it corrects, paid back by its payer.
    private func correctedLine(_ corrected: UUID, of contractID: UUID, payer: UUID?, on connection: PostgresConnection) async throws
        -> Line
    {
        let found = try await connection.run(
            """
            SELECT p.funding_id, f.kind, p.payer_organization_id, p.method, p.amount_cents FROM payments p
            JOIN contract_funding f ON f.id = p.funding_id
            WHERE p.id = \(corrected) AND p.contract_id = \(contractID)
            """, logger: logger
        ).records { row in
            (
                line: (
                    id: try row.value("funding_id", as: UUID.self), kind: try row.value("kind", as: FundingKind.self),
                    payer: try row.value("payer_organization_id", as: UUID.self), method: try row.value("method", as: PaymentMethod.self)
                ),
                amount: try row.value("amount_cents", as: Int64.self)
            )
        }.first
        guard let found, found.amount > 0 else {
            throw InvalidInput(field: "corrects_payment_id", "no payment of this contract has this id")
        }
        if let payer, payer != found.line.payer {
            throw InvalidInput(field: "payer_organization_id", "a correction is made by the payer of the payment it corrects")
        }
        return found.line
    }

    static let columns = """
        p.id, p.contract_id, p.amount_cents, p.paid_on::text AS paid_on, p.method, p.payer_organization_id, p.funding_id, p.reference,
        p.corrects_payment_id, p.recorded_by, p.created_at
        """
}

extension Payment: Audited {
    static let auditEntity = "payment"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), contractID: try row.value("contract_id"), amountCents: try row.value("amount_cents"),
            paidOn: try row.value("paid_on"), method: try row.value("method"), payerOrganizationID: try row.value("payer_organization_id"),
            fundingID: try row.value("funding_id"), fundingKind: try row.value("funding_kind"), reference: try row.value("reference"),
            correctsPaymentID: try row.value("corrects_payment_id"), recordedBy: try row.value("recorded_by"),
            createdAt: try row.value("created_at"))
    }
}
