import Foundation
import YachaqDomain
import YachaqStore

/// A payment (or a correction) on one funding line of a contract: the hot write of the money
/// side. Who may record it is decided inside its transaction, on the contract it locks, not
/// on a copy read before: one round of statements, and no decision on a stale row.
public struct RecordPayment: Sendable {
    let payments: PaymentStore
    /// A payment is never dated after today in Peru; a correction is dated today, and so is
    /// the payment form's first guess.
    public let today: PeruToday

    /// With `key` (an `Idempotency-Key`, or the page form's token), the same payment sent
    /// again under the same key is answered with the first one and writes nothing; another
    /// payment under a used key is refused. Keys are kept per organisation (a user without
    /// one: per user).
    public func callAsFunction(_ draft: PaymentDraft, on contractID: UUID, key: IdempotencyKey?, by identity: Identity) async throws
        -> PaymentStore.Recorded
    {
        let idempotency = try key.map { key in
            PaymentStore.Idempotency(
                scope: identity.organizationID ?? identity.userID, key: key,
                request: try Self.request(draft, on: contractID))
        }
        return try await payments.record(draft, on: contractID, today: today(), idempotency: idempotency, actor: identity) {
            buyer, provider in
            guard identity.may(.readContract(organizationID: buyer, providerID: provider)) else {
                throw StoreError.notFound("No contract has id \(contractID).")
            }
            try identity.require(.manageContract(organizationID: buyer))
        }
    }

    /// What a key is kept with, to tell a retry from another payment: the contract and the
    /// payment as checked (so the same payment typed with other spacing, or sent by the other
    /// door, is the same request).
    static func request(_ draft: PaymentDraft, on contractID: UUID) throws -> String {
        struct Keyed: Encodable {
            let contractID: UUID
            let payment: PaymentDraft
        }
        return String(decoding: try JSONCoding.encoder.encode(Keyed(contractID: contractID, payment: draft)), as: UTF8.self)
    }
}
