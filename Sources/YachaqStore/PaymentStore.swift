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
    /// waits on the key's row until the original commits, then finds it.
    public func record(
        _ draft: PaymentDraft, on contractID: UUID, idempotency: Idempotency?, actor: Identity?
    ) async throws -> (payment: Payment, replayed: Bool) {
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
                    return (try await replay(idempotency, on: connection), true)
                }
            }
            let contract = try await connection.run(
                "SELECT status, organization_id FROM contracts WHERE id = \(contractID) FOR UPDATE", logger: logger
            ).records { (status: try $0.value("status", as: ContractStatus.self), buyer: try $0.value("organization_id", as: UUID.self)) }
            guard let status = contract.first?.status else { throw StoreError.notFound("No contract has id \(contractID).") }
            guard status.takesPayments else {
                throw StoreError.conflict("The contract is \(status.rawValue); payments are recorded once it is signed.")
            }
            let line = try await fundingLine(for: draft, of: contractID, on: connection)
            let payment = try await connection.run(
                """
                INSERT INTO payments AS p (contract_id, funding_id, amount_cents, paid_on, method, payer_organization_id, reference,
                                      corrects_payment_id, recorded_by)
                VALUES (\(contractID), \(line.id), \(draft.amountCents), coalesce(\(draft.paidOn?.text)::date, current_date),
                        \(line.method.rawValue), \(line.payer), \(draft.reference), \(draft.correctsPaymentID), \(actor?.userID))
                RETURNING \(unescaped: Self.columns), \(line.kind.rawValue) AS funding_kind
                """, logger: logger
            ).record(Payment.init)
            if let idempotency {
                try await connection.run(
                    """
                    UPDATE idempotency_keys SET payment_id = \(payment.id)
                    WHERE scope = \(idempotency.scope) AND key = \(idempotency.key.text)
                    """, logger: logger)
            }
            try await AuditTrail.write(
                AuditChange(draft.correctsPaymentID == nil ? "pay" : "correct", before: nil, after: payment), actor: actor?.userID,
                on: connection, logger: logger)
            return (payment, false)
        }
    }

    /// The payments of a contract, in the order they were recorded.
    public func list(contractID: UUID) async throws -> [Payment] {
        try await database.query(
            """
            SELECT \(unescaped: Self.columns), f.kind AS funding_kind FROM payments p JOIN contract_funding f ON f.id = p.funding_id
            WHERE p.contract_id = \(contractID) ORDER BY p.created_at, p.id
            """
        ).records(Payment.init)
    }

    /// Every payment, oldest first, for the accounting export.
    public func all(after: (createdAt: Date, id: UUID)?, limit: Int) async throws -> [Payment] {
        var query = FilteredQuery(
            "SELECT \(Self.columns), f.kind AS funding_kind FROM payments p JOIN contract_funding f ON f.id = p.funding_id")
        if let after { query.filter("(p.created_at, p.id) > ({}, {})", after.createdAt, after.id) }
        return try await database.query(query.ordered(by: "p.created_at, p.id", limit: limit)).records(Payment.init)
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

    /// The funding line the payment draws on, and its method and payer: a correction's are
    /// those of the payment it corrects; a payment's, the line its payer funds (of the kind it
    /// names, when the payer funds more than one). 422 when there is no such line, or the
    /// method does not fit it.
    private func fundingLine(
        for draft: PaymentDraft, of contractID: UUID, on connection: PostgresConnection
    ) async throws -> (id: UUID, kind: FundingKind, payer: UUID, method: PaymentMethod) {
        if let corrected = draft.correctsPaymentID {
            let found = try await connection.run(
                """
                SELECT p.funding_id, f.kind, p.payer_organization_id, p.method, p.amount_cents FROM payments p
                JOIN contract_funding f ON f.id = p.funding_id
                WHERE p.id = \(corrected) AND p.contract_id = \(contractID)
                """, logger: logger
            ).records { row in
                (
                    id: try row.value("funding_id", as: UUID.self), kind: try row.value("kind", as: FundingKind.self),
                    payer: try row.value("payer_organization_id", as: UUID.self), method: try row.value("method", as: PaymentMethod.self),
                    amount: try row.value("amount_cents", as: Int64.self)
                )
            }.first
            guard let found, found.amount > 0 else {
                throw InvalidInput(field: "corrects_payment_id", "no payment of this contract has this id")
            }
            if let payer = draft.payerOrganizationID, payer != found.payer {
                throw InvalidInput(field: "payer_organization_id", "a correction is made by the payer of the payment it corrects")
            }
            return (found.id, found.kind, found.payer, draft.method ?? found.method)
        }
        let payer = draft.payerOrganizationID!
        let lines = try await connection.run(
            """
            SELECT id, kind FROM contract_funding WHERE contract_id = \(contractID) AND source_organization_id = \(payer)
            AND (\(draft.fundingKind?.rawValue)::text IS NULL OR kind = \(draft.fundingKind?.rawValue)) AND amount_cents > 0
            """, logger: logger
        ).records { (id: try $0.value("id", as: UUID.self), kind: try $0.value("kind", as: FundingKind.self)) }
        guard let line = lines.first else {
            let field = draft.fundingKind == nil ? "payer_organization_id" : "funding_kind"
            throw InvalidInput(field: field, "the contract has no funding line of this payer\(draft.fundingKind == nil ? "" : " and kind")")
        }
        guard lines.count == 1 else {
            throw InvalidInput(field: "funding_kind", "this payer funds several lines; say which kind this payment is")
        }
        let method = draft.method!
        guard method.fits(line.kind) else {
            throw InvalidInput(field: "method", "in_kind is the method of counterpart_in_kind lines, and the only one they take")
        }
        return (line.id, line.kind, payer, method)
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
