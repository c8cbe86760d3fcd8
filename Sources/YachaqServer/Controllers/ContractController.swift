import Foundation
import HTTPTypes
import Hummingbird
import YachaqDomain
import YachaqStore

/// `/v1/contracts`: the contract the buyer signs with the chosen technician, its funding,
/// milestones, amendments and payments.
struct ContractController {
    let contracts: ContractStore
    let payments: PaymentStore
    let ratings: RatingStore
    let codes: ReferenceCodesCache

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/contracts") { request, context -> EditedResponse<Contract> in
            let identity = try context.signedIn()
            let input = try await request.decodeDraft(NewContract.self, context: context, codes: codes)
            let prefill = try await contracts.prefill(requestID: input.requestID, applicationID: input.applicationID)
            // A community or municipality user buys for its own organisation; staff say which.
            let buyer = identity.role == .community || identity.role == .municipality ? identity.organizationID : nil
            let draft = try input.resolved(with: prefill, buyer: buyer)
            try context.require(.manageContract(organizationID: draft.organizationID))
            return EditedResponse(status: .created, response: try await contracts.create(draft, actor: identity))
        }
        group.get("/contracts") { request, context -> Page<Contract> in
            let identity = try context.signedIn()
            let filter = try Self.filter(request)
            return try await contracts.list(
                Policy.contractVisibility(identity), filter: filter, after: try request.cursor(), limit: try request.pageLimit())
        }
        group.get("/contracts/{id}") { _, context -> Contract in
            try await visible(try context.parameters.requireID("id"), context)
        }
        // The writes read only who the contract is between: their store locks and reads the
        // whole contract anyway.
        group.post("/contracts/{id}/transitions") { request, context -> Contract in
            let found = try await visibleParties(try context.parameters.requireID("id"), context)
            try context.require(.manageContract(organizationID: found.organizationID))
            let move = try await request.decodeDraft(ContractTransitionInput.self, context: context, codes: codes)
            return try await contracts.transition(found.id, move, actor: context.identity)
        }
        group.post("/contracts/{id}/amendments") { request, context -> EditedResponse<Contract> in
            let found = try await visibleParties(try context.parameters.requireID("id"), context)
            try context.require(.manageContract(organizationID: found.organizationID))
            let amendment = try await request.decodeDraft(ContractAmendmentInput.self, context: context, codes: codes)
            return EditedResponse(status: .created, response: try await contracts.amend(found.id, amendment, actor: context.identity))
        }
        group.patch("/contracts/{id}/milestones/{milestone_id}") { request, context -> Contract in
            let found = try await visibleParties(try context.parameters.requireID("id"), context)
            let milestone = try context.parameters.requireID("milestone_id")
            try context.require(.manageContract(organizationID: found.organizationID))
            let change = try await request.decodeDraft(MilestoneChange.self, context: context, codes: codes)
            return try await contracts.judge(milestone: milestone, of: found.id, change, actor: context.identity)
        }
        // Recording a payment is the hot write of the money side: who may do it is decided
        // inside its transaction, on the contract it locks, rather than by reading it first.
        group.post("/contracts/{id}/payments") { request, context -> Response in
            let id = try context.parameters.requireID("id")
            let identity = try context.signedIn()
            let (input, body) = try await request.decodeJSONKeepingBody(as: NewPayment.self, context: context)
            let draft = try input.checked(against: await codes.get())
            let idempotency = try Self.idempotency(request, identity: identity, contract: id, body: body)
            let recorded = try await payments.record(draft, on: id, idempotency: idempotency, actor: identity) { buyer, provider in
                guard Self.mayRead(buyer, provider, context) else { throw Problem.notFound("No contract has id \(id).") }
                try context.require(.manageContract(organizationID: buyer))
            }
            // The JSON the audit row holds is the answer: the payment is encoded once.
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            if recorded.replayed { headers[.idempotentReplayed] = "true" }
            return Response(status: .created, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: recorded.json)))
        }
        group.get("/contracts/{id}/payments") { _, context -> Items<Payment> in
            let id = try context.parameters.requireID("id")
            _ = try await visibleParties(id, context)
            return Items(items: try await payments.list(contractID: id))
        }
        addRatingRoutes(to: group)
    }

    /// `/v1/contracts/{id}/rating`: the buyer's judgement once the work ended; staff may hide
    /// an abusive comment, never the scores.
    private func addRatingRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/contracts/{id}/rating") { request, context -> EditedResponse<Rating> in
            let parties = try await visibleParties(try context.parameters.requireID("id"), context)
            try context.require(.rateContract(organizationID: parties.organizationID))
            let draft = try await request.decodeDraft(NewRating.self, context: context, codes: codes)
            return EditedResponse(status: .created, response: try await ratings.rate(parties.id, draft, actor: context.identity))
        }
        group.get("/contracts/{id}/rating") { _, context -> Rating in
            let parties = try await visibleParties(try context.parameters.requireID("id"), context)
            guard let rating = try await ratings.find(contractID: parties.id) else {
                throw Problem.notFound("Contract \(parties.id) has not been rated.")
            }
            return rating
        }
        group.patch("/contracts/{id}/rating") { request, context -> Rating in
            let parties = try await visibleParties(try context.parameters.requireID("id"), context)
            try context.require(.moderateRatings)
            let reason = try await request.decodeDraft(RatingCommentHiding.self, context: context, codes: codes)
            return try await ratings.hideComment(of: parties.id, reason: reason, actor: context.identity)
        }
    }

    /// The contract, if the caller may see it; 404 as for none otherwise (401 when not signed in).
    private func visible(_ id: UUID, _ context: AppRequestContext) async throws -> Contract {
        _ = try context.signedIn()
        guard let found = try await contracts.find(id), Self.mayRead(found.organizationID, found.providerID, context) else {
            throw Problem.notFound("No contract has id \(id).")
        }
        return found
    }

    /// `visible` for routes that need only the contract's buyer and technician.
    private func visibleParties(_ id: UUID, _ context: AppRequestContext) async throws -> (
        id: UUID, organizationID: UUID, providerID: UUID
    ) {
        _ = try context.signedIn()
        guard let parties = try await contracts.parties(id), Self.mayRead(parties.organizationID, parties.providerID, context) else {
            throw Problem.notFound("No contract has id \(id).")
        }
        return (id, parties.organizationID, parties.providerID)
    }

    private static func mayRead(_ organization: UUID, _ provider: UUID, _ context: AppRequestContext) -> Bool {
        Policy.decide(context.identity, .readContract(organizationID: organization, providerID: provider)) == .allowed
    }

    /// The `Idempotency-Key` header with what it is kept under: the caller's organisation (a
    /// user without one: the user), and the request it came with: the contract and the body as
    /// sent, which PostgreSQL compares as jsonb (so member order and spacing do not count).
    static func idempotency(_ request: Request, identity: Identity, contract: UUID, body: Data) throws -> PaymentStore.Idempotency? {
        guard let text = request.headers[.idempotencyKey] else { return nil }
        guard let key = IdempotencyKey(text) else {
            throw Problem.validation(field: "Idempotency-Key", "must be 1 to 255 visible ASCII characters")
        }
        let keyed = #"{"contract_id":""# + contract.uuidString.lowercased() + #"","body":"# + String(decoding: body, as: UTF8.self) + "}"
        return PaymentStore.Idempotency(scope: identity.organizationID ?? identity.userID, key: key, request: keyed)
    }

    /// `?status=&provider_id=&organization_id=&ubigeo=&from=&to=`.
    static func filter(_ request: Request) throws -> ContractFilter {
        var check = Validator()
        let status = try request.text("status").map(ContractStatus.init(rawValue:))
        check(status.map { $0 != nil } ?? true, "status", "must be draft, signed, active, completed, terminated or cancelled")
        let provider = try request.text("provider_id").map(UUID.init(uuidString:))
        check(provider.map { $0 != nil } ?? true, "provider_id", "must be an id (UUID)")
        let organization = try request.text("organization_id").map(UUID.init(uuidString:))
        check(organization.map { $0 != nil } ?? true, "organization_id", "must be an id (UUID)")
        let place = try request.text("ubigeo")
        check(
            place.map { [2, 4, 6].contains($0.count) && $0.isDigits(count: $0.count) } ?? true, "ubigeo",
            "a ubigeo (6 digits), or its first 2 (department) or 4 (province)")
        let from = try request.date("from", check: &check), to = try request.date("to", check: &check)
        try check.finish()
        return ContractFilter(
            status: status ?? nil, providerID: provider ?? nil, organizationID: organization ?? nil, place: place, from: from, to: to)
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
