import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// The SMS gateway's door (`POST /v1/sms/inbound`, `GET`/`POST /v1/sms/delivery`), staff's
/// outbox (`GET /v1/sms/outbox`, `POST /v1/sms/outbox/{id}/retry`) and the technician's answer
/// to an invitation (`POST /v1/applications/{id}/answer`, what `ARI`/`MANA` do by SMS).
struct SMSController {
    let actions: Actions
    let door: SMSDoor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/sms/inbound") { request, context -> SMSReceipt in
            try await gateway(request, context, route: "inbound")
            let (from, id) = (try request.text("from"), try request.text("id"))
            var check = Validator()
            check(from.map { $0.count <= 30 } ?? false, "from", "the sender's number is required, at most 30 characters (Kannel: %p)")
            check(id != nil, "id", "the gateway's message id is required (Kannel: %I)")
            try check.finish()
            let body = try await request.body.collect(upTo: 4096)
            let text = String(decoding: Data(buffer: body), as: UTF8.self)
            guard !text.utf8.contains(0), text.count <= 1000 else {
                throw Problem.validation(field: "body", "the text must be at most 1,000 characters, without NUL")
            }
            return SMSReceipt(outcome: try await actions.receiveSMS(gatewayID: id ?? "", from: from ?? "", text: text).rawValue)
        }
        // Kannel fetches its delivery-report URL with GET; POST is the same report.
        for method in [HTTPRequest.Method.get, .post] {
            group.on("/sms/delivery", method: method) { request, context -> Response in
                try await gateway(request, context, route: "delivery")
                let (id, type) = (try request.text("id").map { Int64($0) }, try request.text("type").map { Int($0) })
                var check = Validator()
                check(id.map { $0 != nil } ?? false, "id", "the outbox's id of the text is required, a whole number")
                check(type.map { $0 != nil } ?? false, "type", "the report's type is required, a whole number (Kannel: %d)")
                try check.finish()
                try await actions.recordSMSDelivery(id: id.flatMap { $0 } ?? 0, type: type.flatMap { $0 } ?? 0)
                return Response(status: .noContent)
            }
        }
        group.get("/sms/outbox") { request, context -> OutboxPage in
            let identity = try context.signedIn()
            let status = try request.text("status").map { text in
                guard let status = SMSStatus(rawValue: text) else {
                    throw Problem.validation(field: "status", "must be queued, sending, sent, delivered or failed")
                }
                return status
            }
            let page = try await actions.listSMSOutbox(
                status: status, after: try request.cursor(), limit: try request.pageLimit(), by: identity)
            return OutboxPage(items: page.items, nextCursor: page.nextCursor, gatewayConfigured: door.gatewayConfigured)
        }
        group.post("/sms/outbox/{id}/retry") { _, context -> SMSMessage in
            let identity = try context.signedIn()
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else {
                throw Problem.notFound("No text of the outbox has this id.")
            }
            return try await actions.retrySMS(id, by: identity)
        }
        group.post("/applications/{id}/answer") { request, context -> JobApplication in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let input = try await request.decodeJSON(as: AnswerInput.self, context: context)
            guard let answer = InvitationAnswer(rawValue: input.answer) else {
                throw Problem.validation(field: "answer", "must be accepted or declined")
            }
            return try await actions.answerInvitation(id, answer, by: identity)
        }
    }

    /// Lets through only the gateway: from an allowed address, with the shared secret (as
    /// `?secret=` or `X-SMS-Secret`). Anything else is refused (403) and audited.
    private func gateway(_ request: Request, _ context: AppRequestContext, route: String) async throws {
        let address = context.peerAddress ?? ClientAddress.local
        let presented = request.headers[.smsSecret] ?? request.uri.queryParameters["secret"].map(String.init)
        let reason: String? =
            if door.secret == nil { "no gateway is configured" } else if !door.gatewayAddresses.contains(address) {
                "the address is not the gateway's"
            } else if !door.matches(presented) { "the secret is wrong" } else { nil }
        guard let reason else { return }
        try await actions.refuseGatewayCall(route: route, address: address, reason: reason)
        throw Problem(.forbidden, detail: "Only the SMS gateway may call this: \(reason).")
    }
}

/// What the SMS door knows of the gateway: its secret, the addresses it calls from, and
/// whether texts are being sent at all.
public struct SMSDoor: Sendable {
    public var secret: String?
    public var gatewayAddresses: Set<String>
    public var gatewayConfigured: Bool

    public init(secret: String? = nil, gatewayAddresses: Set<String> = ["127.0.0.1", "::1"], gatewayConfigured: Bool = false) {
        self.secret = secret
        self.gatewayAddresses = gatewayAddresses
        self.gatewayConfigured = gatewayConfigured
    }

    /// Compared by their hashes, so the time taken says nothing of how much of it matched.
    func matches(_ presented: String?) -> Bool {
        guard let secret, let presented else { return false }
        return SHA256.hash(data: Data(secret.utf8)) == SHA256.hash(data: Data(presented.utf8))
    }
}

/// What a text that came in did.
struct SMSReceipt: ResponseEncodable {
    let outcome: String
}

/// A page of the outbox, and whether a gateway is configured (without one, texts stay queued).
struct OutboxPage: ResponseEncodable {
    let items: [SMSMessage]
    let nextCursor: String?
    let gatewayConfigured: Bool

    private enum CodingKeys: String, CodingKey { case items, nextCursor, gatewayConfigured }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(gatewayConfigured, forKey: .gatewayConfigured)
    }
}

struct AnswerInput: Decodable {
    let answer: String
}

extension SMSMessage: ResponseEncodable {}

extension HTTPField.Name {
    static let smsSecret = Self("X-SMS-Secret")!
}
