import Foundation
import HTTPTypes
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// `/v1/contracts`: the contract the buyer signs with the chosen technician, its funding,
/// milestones, amendments and payments.
struct ContractController {
    let actions: Actions
    let reference: ReferenceData

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/contracts") { request, context -> EditedResponse<Contract> in
            let identity = try context.signedIn()
            let input = try await request.decodeDraft(NewContract.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.createContract(input, by: identity))
        }
        group.get("/contracts") { request, context -> Page<Contract> in
            let identity = try context.signedIn()
            let filter = try Self.filter(request)
            return try await actions.listContracts(filter, after: try request.cursor(), limit: try request.pageLimit(), by: identity)
        }
        group.get("/contracts/{id}") { _, context -> Contract in
            try await actions.readContract(try context.parameters.requireID("id"), by: try context.signedIn())
        }
        group.post("/contracts/{id}/transitions") { request, context -> Contract in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let move = try await request.decodeDraft(ContractTransitionInput.self, context: context, codes: reference.codes)
            return try await actions.moveContract(id, move, by: identity)
        }
        group.post("/contracts/{id}/amendments") { request, context -> EditedResponse<Contract> in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let amendment = try await request.decodeDraft(ContractAmendmentInput.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.amendContract(id, amendment, by: identity))
        }
        group.patch("/contracts/{id}/milestones/{milestone_id}") { request, context -> Contract in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let milestone = try context.parameters.requireID("milestone_id")
            let change = try await request.decodeDraft(MilestoneChange.self, context: context, codes: reference.codes)
            return try await actions.judgeMilestone(milestone, of: id, change, by: identity)
        }
        group.post("/contracts/{id}/payments") { request, context -> Response in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let draft = try await request.decodeDraft(NewPayment.self, context: context, codes: reference.codes)
            let recorded = try await actions.recordPayment(draft, on: id, key: try Self.idempotencyKey(request), by: identity)
            // The JSON the audit row holds is the answer: the payment is encoded once.
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            if recorded.replayed { headers[.idempotentReplayed] = "true" }
            return Response(status: .created, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: recorded.json)))
        }
        group.get("/contracts/{id}/payments") { _, context -> Items<Payment> in
            Items(items: try await actions.contractPayments(try context.parameters.requireID("id"), by: try context.signedIn()))
        }
        addRatingRoutes(to: group)
    }

    /// `/v1/contracts/{id}/rating`: the buyer's judgement once the work ended; staff may hide
    /// an abusive comment, never the scores.
    private func addRatingRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/contracts/{id}/rating") { request, context -> EditedResponse<Rating> in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let draft = try await request.decodeDraft(NewRating.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.rateContract(id, draft, by: identity))
        }
        group.get("/contracts/{id}/rating") { _, context -> Rating in
            let id = try context.parameters.requireID("id")
            guard let rating = try await actions.contractRating(id, by: try context.signedIn()) else {
                throw Problem.notFound("Contract \(id) has not been rated.")
            }
            return rating
        }
        group.patch("/contracts/{id}/rating") { request, context -> Rating in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let reason = try await request.decodeDraft(RatingCommentHiding.self, context: context, codes: reference.codes)
            return try await actions.hideRatingComment(id, reason: reason, by: identity)
        }
    }

    /// The `Idempotency-Key` header, if sent: 422 when it is not 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws -> IdempotencyKey? {
        guard let text = request.headers[.idempotencyKey] else { return nil }
        guard let key = IdempotencyKey(text) else {
            throw Problem.validation(field: "Idempotency-Key", "must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    /// `?status=&provider_id=&organization_id=&request_id=&ubigeo=&from=&to=`.
    static func filter(_ request: Request) throws -> ContractFilter {
        var check = Validator()
        let status = try request.text("status").map(ContractStatus.init(rawValue:))
        check(status.map { $0 != nil } ?? true, "status", "must be draft, signed, active, completed, terminated or cancelled")
        let provider = try request.text("provider_id").map(UUID.init(uuidString:))
        check(provider.map { $0 != nil } ?? true, "provider_id", "must be an id (UUID)")
        let organization = try request.text("organization_id").map(UUID.init(uuidString:))
        check(organization.map { $0 != nil } ?? true, "organization_id", "must be an id (UUID)")
        let serviceRequest = try request.text("request_id").map(UUID.init(uuidString:))
        check(serviceRequest.map { $0 != nil } ?? true, "request_id", "must be an id (UUID)")
        let place = try request.text("ubigeo")
        check(
            place.map { [2, 4, 6].contains($0.count) && $0.isDigits(count: $0.count) } ?? true, "ubigeo",
            "a ubigeo (6 digits), or its first 2 (department) or 4 (province)")
        let from = try request.date("from", check: &check), to = try request.date("to", check: &check)
        try check.finish()
        return ContractFilter(
            status: status ?? nil, providerID: provider ?? nil, organizationID: organization ?? nil, requestID: serviceRequest ?? nil,
            place: place, from: from, to: to)
    }
}

extension Contract: ResponseEncodable {}
extension Payment: ResponseEncodable {}
extension Rating: ResponseEncodable {}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    /// On the answer to a retry: the payment was recorded by the first request with this key.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
