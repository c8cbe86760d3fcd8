import Foundation
import YachaqDomain
import YachaqStore

/// A text that came in through the gateway: read, acted on, recorded, answered. The door has
/// checked that the gateway sent it (its secret and address).
public struct ReceiveSMS: Sendable {
    let inbound: SMSInboundStore

    public func callAsFunction(gatewayID: String, from phone: String, text: String) async throws -> SMSOutcome {
        try await inbound.receive(gatewayID: gatewayID, phone: phone, text: text, command: SMSCommand(text))
    }
}

/// A call on the gateway's routes that the door found was not the gateway's: kept in the audit trail.
public struct RefuseGatewayCall: Sendable {
    let inbound: SMSInboundStore

    public func callAsFunction(route: String, address: String, reason: String) async throws {
        try await inbound.refuse(route: route, address: address, reason: reason)
    }
}

/// A delivery report from the gateway about a text of the outbox.
public struct RecordSMSDelivery: Sendable {
    let outbox: SMSOutboxStore

    public func callAsFunction(id: Int64, type: Int) async throws {
        guard [1, 2, 4, 8, 16].contains(type) else { throw InvalidInput(field: "type", "must be 1, 2, 4, 8 or 16 (Kannel's report types)") }
        guard try await outbox.report(id, type: type) else { throw StoreError.notFound("No sent text has id \(id).") }
    }
}

/// Staff read the outbox, newest first.
public struct ListSMSOutbox: Sendable {
    let outbox: SMSOutboxStore

    public func callAsFunction(status: SMSStatus?, after cursor: String?, limit: Int, by identity: Identity) async throws -> Page<
        SMSMessage
    > {
        try identity.require(.manageSMSOutbox)
        return try await outbox.list(status: status, after: cursor, limit: limit)
    }
}

/// Staff send a failed text again.
public struct RetrySMS: Sendable {
    let outbox: SMSOutboxStore

    public func callAsFunction(_ id: Int64, by identity: Identity) async throws -> SMSMessage {
        try identity.require(.manageSMSOutbox)
        return try await outbox.retry(id, actor: identity)
    }
}

/// An invited technician accepts or declines (the same as `ARI`/`MANA` by SMS).
public struct AnswerInvitation: Sendable {
    let applications: JobApplicationStore

    public func callAsFunction(_ id: UUID, _ answer: InvitationAnswer, by identity: Identity) async throws -> JobApplication {
        // Whether the caller speaks for the invited profile is decided on the locked row; to
        // anyone else the invitation reads as missing.
        guard let providerID = identity.providerID, identity.may(.answerInvitation(providerID: providerID)) else {
            throw StoreError.notFound("No invitation has id \(id).")
        }
        return try await applications.answer(id, answer, actor: identity)
    }
}
