import Foundation
import PostgresNIO
import YachaqDomain

/// Contracts: their terms and funding, the moves of their status, amendments, milestones.
/// Every write locks the contract row first, so that writes of one contract follow each
/// other; payments (`PaymentStore`) take the same lock.
public struct ContractStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// What a new contract takes from the request and the application it names (nil when it
    /// names neither). 422 for ids that name nothing, or an application of another request.
    public func prefill(requestID: UUID?, applicationID: UUID?) async throws -> ContractPrefill? {
        try await database.withConnection { connection in
            try await Self.prefill(requestID: requestID, applicationID: applicationID, on: connection, logger: logger)
        }
    }

    /// Writes the contract as a draft with its funding, milestones and first transition.
    /// The application it comes from must still be the selected one, its request neither
    /// cancelled nor closed, its technician active (checked under locks on all three).
    public func create(_ draft: ContractDraft, actor: Identity?) async throws -> Contract {
        let id = UUID()
        return try await database.withTransaction(logger: logger) { connection in
            let prefill = try await Self.prefill(
                requestID: draft.requestID, applicationID: draft.applicationID, on: connection, logger: logger, locking: true)
            // Checked again under the locks: the application may have been withdrawn meanwhile.
            if let prefill, draft.applicationID != nil, prefill.providerID != draft.providerID {
                throw StoreError.conflict("The application is not the selected one; the assembly selects it before a contract is made.")
            }
            if let prefill, prefill.organizationID != draft.organizationID {
                throw InvalidInput(field: "organization_id", "the request is another organisation's")
            }
            let active = try await connection.run(
                "SELECT status = 'active' AS active FROM providers WHERE id = \(draft.providerID) FOR SHARE", logger: logger
            ).records { try $0.value("active", as: Bool.self) }.first
            guard let active else { throw InvalidInput(field: "provider_id", "no provider has this id") }
            guard active else { throw InvalidInput(field: "provider_id", "only an active technician can be contracted") }
            let inserted = try await connection.run(
                """
                INSERT INTO contracts (id, request_id, application_id, organization_id, provider_id, title, scope, ubigeo, period,
                                       amount_cents, exclusive, families, created_by)
                SELECT \(id), \(draft.requestID), \(draft.applicationID), o.id, \(draft.providerID), \(draft.title), \(draft.scope),
                       coalesce(\(draft.ubigeo?.code), o.ubigeo), daterange(\(draft.startsOn.text)::date, \(draft.endsOn.text)::date, '[]'),
                       \(draft.amountCents), \(draft.exclusive), \(draft.families), \(actor?.userID)
                FROM organizations o WHERE o.id = \(draft.organizationID)
                RETURNING id
                """, logger: logger
            ).records { try $0.value("id", as: UUID.self) }
            guard !inserted.isEmpty else { throw InvalidInput(field: "organization_id", "no organisation has this id") }
            try await Self.writeFunding(draft.funding, of: id, on: connection, logger: logger)
            try await connection.execute(
                """
                INSERT INTO contract_milestones (contract_id, position, title, due_on)
                SELECT \(id), position - 1, title, due_on::date
                FROM unnest(\(draft.milestones.map(\.title))::text[], \(draft.milestones.map(\.dueOn.text))::text[])
                    WITH ORDINALITY AS m (title, due_on, position)
                """, logger: logger)
            try await connection.execute(
                "INSERT INTO contract_transitions (contract_id, to_status, actor_id) VALUES (\(id), 'draft', \(actor?.userID))",
                logger: logger)
            let contract = try await Self.load(id, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("create", before: nil, after: contract), actor: actor?.userID, on: connection, logger: logger)
            return contract
        }
    }

    /// Who a contract is between: enough to decide who may see or write it, in one query.
    public func parties(_ id: UUID) async throws -> (organizationID: UUID, providerID: UUID)? {
        try await database.query("SELECT organization_id, provider_id FROM contracts WHERE id = \(id)", logger: logger).records { row in
            (try row.value("organization_id", as: UUID.self), try row.value("provider_id", as: UUID.self))
        }.first
    }

    public func find(_ id: UUID) async throws -> Contract? {
        try await database.withConnection { try await Self.load([id], on: $0, logger: logger)[id] }
    }

    /// Newest first, those `visibility` lets the caller see, filtered.
    public func list(
        _ visibility: Policy.ContractVisibility, filter: ContractFilter, after cursor: String?, limit: Int
    ) async throws -> Page<Contract> {
        let keyset = NewestFirst(alias: "c")
        var query = FilteredQuery("SELECT \(keyset.columns) FROM contracts c")
        switch visibility {
        case .all: break
        case .organization(let id): query.filter("c.organization_id = {}", id)
        case .provider(let id): query.filter("c.provider_id = {}", id)
        case .none: return Page(items: [], nextCursor: nil)
        }
        if let status = filter.status { query.filter("c.status = {}", status.rawValue) }
        if let provider = filter.providerID { query.filter("c.provider_id = {}", provider) }
        if let organization = filter.organizationID { query.filter("c.organization_id = {}", organization) }
        if let request = filter.requestID { query.filter("c.request_id = {}", request) }
        if let place = filter.place { query.filter("c.ubigeo LIKE {}", place + "%") }
        if let from = filter.from { query.filter("upper(c.period) > {}::date", from.text) }
        if let to = filter.to { query.filter("lower(c.period) <= {}::date", to.text) }
        try keyset.filter(&query, after: cursor)
        return try await keyset.page(query, limit: limit, on: database, logger: logger) { [logger] ids, connection in
            try await Self.load(ids, on: connection, logger: logger).inOrder(of: ids, entity: "contract")
        }
    }

    /// Moves the contract on (`ContractStatus.canMove`) and records the move. Signing a
    /// contract of an open request awards the request; signing or starting an exclusive one
    /// whose days overlap another of the technician's is a conflict naming that one.
    public func transition(_ id: UUID, _ move: ContractTransitionDraft, actor: Identity?) async throws -> Contract {
        try await database.withTransaction(logger: logger) { connection in
            let before = try await Self.locked(id, on: connection, logger: logger)
            guard before.status.canMove(to: move.status) else {
                throw StoreError.conflict("A contract that is \(before.status.rawValue) cannot become \(move.status.rawValue).")
            }
            try await Self.guardingBooking(of: before, endsOn: before.endsOn, on: connection, logger: logger) {
                try await connection.execute(
                    "UPDATE contracts SET status = \(move.status.rawValue), updated_at = now() WHERE id = \(id)", logger: logger)
            }
            try await connection.execute(
                """
                INSERT INTO contract_transitions (contract_id, from_status, to_status, reason, actor_id)
                VALUES (\(id), \(before.status.rawValue), \(move.status.rawValue), \(move.reason), \(actor?.userID))
                """, logger: logger)
            let after = try await Self.load(id, on: connection, logger: logger)
            var changes = [try AuditChange(move.status.rawValue, before: before, after: after)]
            if move.status == .signed, let requestID = before.requestID {
                let request = try await ServiceRequestStore.load([requestID], on: connection, logger: logger, locking: true)[requestID]
                if let request, request.status == .open {
                    try await connection.execute(
                        "UPDATE service_requests SET status = 'awarded', updated_at = now() WHERE id = \(requestID)", logger: logger)
                    let awarded = try await ServiceRequestStore.load(requestID, on: connection, logger: logger)
                    changes.append(try AuditChange("award", before: request, after: awarded))
                }
            }
            try await AuditTrail.write(changes, actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    /// Changes the end date or the amount and funding, keeping the terms before and after as
    /// an amendment row. A line left out is kept at 0; a line (or the contract) lowered below
    /// what has been paid of it is a conflict.
    public func amend(_ id: UUID, _ amendment: ContractAmendmentDraft, actor: Identity?) async throws -> Contract {
        try await database.withTransaction(logger: logger) { connection in
            let before = try await Self.locked(id, on: connection, logger: logger)
            guard before.status.canBeAmended else {
                throw StoreError.conflict("A contract that is \(before.status.rawValue) can no longer be amended.")
            }
            let terms = try amendment.terms(amending: before)
            try await Self.guardingBooking(of: before, endsOn: terms.endsOn, on: connection, logger: logger) {
                try await connection.execute(
                    """
                    UPDATE contracts SET period = daterange(lower(period), \(terms.endsOn)::date, '[]'),
                        amount_cents = \(terms.amountCents),
                        updated_at = now()
                    WHERE id = \(id)
                    """, logger: logger)
            }
            if let funding = amendment.funding {
                // Lines left out drop to 0 (their CHECK refuses that below what they were paid).
                try await connection.execute(
                    """
                    UPDATE contract_funding f SET amount_cents = 0
                    WHERE contract_id = \(id) AND NOT EXISTS (
                        SELECT 1 FROM unnest(\(funding.map(\.sourceOrganizationID))::uuid[], \(funding.map(\.kind.rawValue))::text[])
                            AS l (source, kind)
                        WHERE l.source = f.source_organization_id AND l.kind = f.kind)
                    """, logger: logger)
                try await Self.writeFunding(funding, of: id, on: connection, logger: logger)
            }
            try await connection.execute(
                """
                INSERT INTO contract_amendments (contract_id, reason, ends_on_before, ends_on_after, amount_before, amount_after,
                                                 funding_before, funding_after, actor_id)
                VALUES (\(id), \(amendment.reason), \(before.endsOn)::date, \(terms.endsOn)::date, \(before.amountCents),
                        \(terms.amountCents), \(try AuditChange.json(before.terms.funding))::jsonb,
                        \(try AuditChange.json(terms.funding))::jsonb, \(actor?.userID))
                """, logger: logger)
            let after = try await Self.load(id, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("amend", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    /// The buyer records a milestone met or not met (and may correct that later) while the
    /// contract is signed or active, on a day of the contract; once it ended the judgement stays.
    public func judge(milestone milestoneID: UUID, of id: UUID, _ change: MilestoneChangeDraft, actor: Identity?) async throws -> Contract {
        try await database.withTransaction(logger: logger) { connection in
            let before = try await Self.locked(id, on: connection, logger: logger)
            guard before.milestones.contains(where: { $0.id == milestoneID }) else {
                throw StoreError.notFound("Contract \(id) has no milestone \(milestoneID).")
            }
            guard before.status.milestonesAreJudged else {
                throw StoreError.conflict(
                    "The contract is \(before.status.rawValue); its milestones are judged while it is signed or active, then they stay.")
            }
            guard (before.startsOn...before.endsOn).contains(change.on.text) else {
                throw InvalidInput(field: "on", "must be within the contract's days, \(before.startsOn) to \(before.endsOn)")
            }
            try await connection.execute(
                """
                UPDATE contract_milestones
                SET status = \(change.status.rawValue), decided_on = \(change.on.text)::date, note = \(change.note)
                WHERE id = \(milestoneID)
                """, logger: logger)
            let after = try await Self.load(id, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("milestone_\(change.status.rawValue)", before: before, after: after), actor: actor?.userID, on: connection,
                logger: logger)
            return after
        }
    }

    // MARK: - Inside a transaction

    static func prefill(
        requestID: UUID?, applicationID: UUID?, on connection: PostgresConnection, logger: Logger, locking: Bool = false
    ) async throws -> ContractPrefill? {
        var application: JobApplication?
        if let applicationID {
            application = try await connection.run(
                """
                SELECT \(unescaped: JobApplicationStore.columns) FROM applications WHERE id = \(applicationID)
                \(unescaped: locking ? "FOR SHARE" : "")
                """, logger: logger
            ).records(JobApplication.init).first
            guard application != nil else { throw InvalidInput(field: "application_id", "no application has this id") }
        }
        if let application, let requestID, requestID != application.requestID {
            throw InvalidInput(field: "request_id", "the application is for another request")
        }
        guard let requestID = application?.requestID ?? requestID else { return nil }
        guard let request = try await ServiceRequestStore.load([requestID], on: connection, logger: logger, locking: locking)[requestID]
        else {
            throw InvalidInput(field: "request_id", "no request has this id")
        }
        if locking, request.status == .cancelled {
            throw StoreError.conflict("The request was cancelled; it takes no contract.")
        }
        return ContractPrefill(request: request, selected: application?.status == .selected ? application : nil)
    }

    /// The lines as agreed: new ones inserted, those of a source and kind already present set
    /// to their new amount (the deferred trigger checks at commit that they add up).
    static func writeFunding(_ lines: [FundingShare], of id: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute(
            """
            INSERT INTO contract_funding AS f (contract_id, source_organization_id, kind, amount_cents, position)
            SELECT \(id), source, kind, amount, (SELECT count(*) FROM contract_funding WHERE contract_id = \(id)) + position - 1
            FROM unnest(\(lines.map(\.sourceOrganizationID))::uuid[], \(lines.map(\.kind.rawValue))::text[],
                        \(lines.map(\.amountCents))::bigint[]) WITH ORDINALITY AS l (source, kind, amount, position)
            ON CONFLICT (contract_id, source_organization_id, kind) DO UPDATE SET amount_cents = excluded.amount_cents
            """, logger: logger)
    }

    /// Runs `update` of the contract's status or days under a savepoint: when it would book
    /// the technician twice (the exclusion constraint), the conflict names the other contract.
    static func guardingBooking(
        of contract: Contract, endsOn: String, on connection: PostgresConnection, logger: Logger, _ update: () async throws -> Void
    ) async throws {
        try await connection.execute("SAVEPOINT booking", logger: logger)
        do {
            try await update()
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "contracts_no_double_booking" {
            try await connection.execute("ROLLBACK TO SAVEPOINT booking", logger: logger)
            let other = try await connection.run(
                """
                SELECT id, lower(period)::text AS starts_on, (upper(period) - 1)::text AS ends_on FROM contracts
                WHERE provider_id = \(contract.providerID) AND exclusive AND status IN ('signed', 'active') AND id <> \(contract.id)
                  AND period && daterange(\(contract.startsOn)::date, \(endsOn)::date, '[]')
                LIMIT 1
                """, logger: logger
            ).records { row in
                "contract \(try row.value("id", as: UUID.self).lowercased) (\(try row.value("starts_on", as: String.self)) to "
                    + "\(try row.value("ends_on", as: String.self)))"
            }.first
            throw StoreError.conflict(
                "The technician is already booked by exclusive \(other ?? "another contract") on some of these days; "
                    + "two exclusive contracts of one technician cannot overlap.")
        }
        try await connection.execute("RELEASE SAVEPOINT booking", logger: logger)
    }
}

/// The filters of `GET /v1/contracts`.
public struct ContractFilter: Sendable {
    public var status: ContractStatus?
    public var providerID: UUID?
    public var organizationID: UUID?
    /// The request the contract was made from.
    public var requestID: UUID?
    /// A ubigeo or its first 2 (department) or 4 (province) digits.
    public var place: String?
    /// Contracts whose days reach into [from, to].
    public var from: CalendarDate?
    public var to: CalendarDate?

    public init(
        status: ContractStatus? = nil, providerID: UUID? = nil, organizationID: UUID? = nil, requestID: UUID? = nil, place: String? = nil,
        from: CalendarDate? = nil,
        to: CalendarDate? = nil
    ) {
        self.status = status
        self.providerID = providerID
        self.organizationID = organizationID
        self.requestID = requestID
        self.place = place
        self.from = from
        self.to = to
    }
}
