import Foundation

/// `POST /v1/contracts/{id}/payments`. A payment names its amount, day, method and payer
/// (and, when the payer funds more than one line, the line's kind). A correction is a
/// negative amount naming the payment it corrects; what it leaves out is that payment's.
public struct NewPayment: CheckedInput {
    public var amountCents: Int64
    public var paidOn: String?
    public var method: String?
    public var payerOrganizationID: UUID?
    public var fundingKind: String?
    public var reference: String?
    public var correctsPaymentID: UUID?

    public init(
        amountCents: Int64, paidOn: String? = nil, method: String? = nil, payerOrganizationID: UUID? = nil, fundingKind: String? = nil,
        reference: String? = nil, correctsPaymentID: UUID? = nil
    ) {
        self.amountCents = amountCents
        self.paidOn = paidOn
        self.method = method
        self.payerOrganizationID = payerOrganizationID
        self.fundingKind = fundingKind
        self.reference = reference
        self.correctsPaymentID = correctsPaymentID
    }

    public func checked(against codes: ReferenceCodes) throws -> PaymentDraft {
        var check = Validator()
        let correcting = correctsPaymentID != nil
        if correcting {
            // Compared, never negated: -Int64.min would trap.
            check(
                (-Bounds.amountCents...(-1)).contains(amountCents), "amount_cents",
                "a correction is negative: -1 to -\(Bounds.amountCents) céntimos, what it takes back")
        } else {
            check.amount(amountCents, "amount_cents")
            check(paidOn != nil, "paid_on", "is required")
            check(method != nil, "method", "is required")
            check(payerOrganizationID != nil, "payer_organization_id", "is required")
        }
        let paidOn = paidOn.map { check.date($0, "paid_on") }
        let method = method.map(PaymentMethod.init(rawValue:))
        check(method.map { $0 != nil } ?? true, "method", "must be cash, bank_transfer, banco_de_la_nacion, mobile_wallet or in_kind")
        let kind = fundingKind.map(FundingKind.init(rawValue:))
        check(
            kind.map { $0 != nil } ?? true, "funding_kind", "must be public_transfer, municipal, counterpart_cash or counterpart_in_kind")
        let reference = reference?.trimmed
        check((reference?.count ?? 0) <= 200, "reference", "must be at most 200 characters")
        try check.finish()
        return PaymentDraft(
            amountCents: amountCents, paidOn: paidOn ?? nil, method: method ?? nil, payerOrganizationID: payerOrganizationID,
            fundingKind: kind ?? nil, reference: reference?.isEmpty == true ? nil : reference, correctsPaymentID: correctsPaymentID)
    }
}

public struct PaymentDraft: Sendable, Encodable {
    public let amountCents: Int64
    /// nil only for a correction: the day it is recorded.
    public let paidOn: CalendarDate?
    /// nil only for a correction: the corrected payment's.
    public let method: PaymentMethod?
    /// nil only for a correction: the corrected payment's.
    public let payerOrganizationID: UUID?
    public let fundingKind: FundingKind?
    public let reference: String?
    public let correctsPaymentID: UUID?
}

/// An `Idempotency-Key` header: 1 to 255 visible ASCII characters.
public struct IdempotencyKey: Sendable, Hashable {
    public let text: String

    public init?(_ text: String) {
        guard (1...255).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        self.text = text
    }
}
