import Foundation
import PostgresNIO
import YachaqDomain

/// Reading contracts whole: the row with its funding lines, milestones, transitions and
/// amendments in one statement (each part a JSON array built by PostgreSQL), and for its page
/// the file around it (payments, rating, names) in the same statement.
extension ContractStore {
    /// The contract, locked for the rest of the transaction; 404 when there is none.
    static func locked(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Contract {
        guard let contract = try await load([id], on: connection, logger: logger, locking: true)[id] else {
            throw StoreError.notFound("No contract has id \(id).")
        }
        return contract
    }

    static func load(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Contract {
        try await load([id], on: connection, logger: logger).inOrder(of: [id], entity: "contract")[0]
    }

    /// The contracts with these ids, whole. Locking takes the rows' locks first, so that the
    /// parts are read after them (a statement reads its parts before it locks the rows).
    static func load(_ ids: [UUID], on connection: PostgresConnection, logger: Logger, locking: Bool = false) async throws -> [UUID:
        Contract]
    {
        guard !ids.isEmpty else { return [:] }
        if locking {
            try await connection.execute("SELECT 1 FROM contracts WHERE id = ANY(\(ids)) FOR UPDATE", logger: logger)
        }
        let contracts = try await connection.run(
            "SELECT \(unescaped: wholeColumns) FROM contracts c WHERE c.id = ANY(\(ids))", logger: logger
        ).records(Contract.init(whole:))
        return Dictionary(contracts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The contract with everything its page shows, in one statement; nil when there is none.
    public func file(_ id: UUID) async throws -> ContractFile? {
        try await database.query(
            """
            SELECT \(unescaped: Self.wholeColumns),
                (SELECT coalesce(json_agg(json_build_object(
                        'id', p.id, 'contract_id', p.contract_id, 'amount_cents', p.amount_cents, 'paid_on', p.paid_on,
                        'method', p.method, 'payer_organization_id', p.payer_organization_id, 'funding_id', p.funding_id,
                        'funding_kind', f.kind, 'reference', p.reference, 'corrects_payment_id', p.corrects_payment_id,
                        'recorded_by', p.recorded_by, 'created_at', \(unescaped: Self.utc("p.created_at")))
                    ORDER BY p.created_at, p.id), '[]')
                 FROM payments p JOIN contract_funding f ON f.id = p.funding_id WHERE p.contract_id = c.id)::text AS payments,
                (SELECT json_build_object(
                        'contract_id', r.contract_id, 'provider_id', r.provider_id, 'organization_id', r.organization_id,
                        'technical', r.technical, 'communication', r.communication, 'punctuality', r.punctuality, 'results', r.results,
                        'would_hire_again', r.would_hire_again, 'comment', r.comment, 'targets', r.targets,
                        'comment_hidden_reason', r.comment_hidden_reason,
                        'comment_hidden_at', \(unescaped: Self.utc("r.comment_hidden_at")), 'rated_by', r.rated_by,
                        'created_at', \(unescaped: Self.utc("r.created_at")))
                 FROM ratings r WHERE r.contract_id = c.id)::text AS rating,
                (SELECT json_object_agg(o.id, o.name) FROM organizations o
                 WHERE o.id = c.organization_id OR o.id IN (SELECT source_organization_id FROM contract_funding WHERE contract_id = c.id)
                )::text AS organization_names,
                t.full_name AS technician_name, t.national_id AS technician_national_id
            FROM contracts c JOIN providers t ON t.id = c.provider_id WHERE c.id = \(id)
            """
        ).records { row in
            ContractFile(
                contract: try Contract(whole: row), payments: try row.json("payments"), rating: try row.optionalJSON("rating"),
                organizationNames: try row.json("organization_names", as: [String: String].self).reduce(into: [:]) { names, entry in
                    if let id = UUID(uuidString: entry.key) { names[id] = entry.value }
                }, technicianName: try row.value("technician_name"), technicianNationalID: try row.value("technician_national_id"))
        }.first
    }

    /// A time as JSON that `JSONCoding.decoder` reads: ISO 8601 in UTC, to the second (as the
    /// API writes times).
    static func utc(_ column: String) -> String {
        #"to_char(\#(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#
    }

    /// The contract row and its parts, as `Contract(whole:)` reads them.
    static let wholeColumns = """
        c.id, c.request_id, c.application_id, c.organization_id, c.provider_id, c.title, c.scope, c.ubigeo,
        lower(c.period)::text AS starts_on, (upper(c.period) - 1)::text AS ends_on, c.amount_cents, c.exclusive, c.families, c.status,
        c.paid_cents, c.number, c.created_at, c.updated_at,
        (SELECT coalesce(json_agg(json_build_object(
                'id', id, 'source_organization_id', source_organization_id, 'kind', kind, 'amount_cents', amount_cents,
                'paid_cents', paid_cents) ORDER BY position), '[]')
         FROM contract_funding WHERE contract_id = c.id)::text AS funding,
        (SELECT coalesce(json_agg(json_build_object(
                'id', id, 'title', title, 'due_on', due_on, 'status', status, 'on', decided_on, 'note', note) ORDER BY position), '[]')
         FROM contract_milestones WHERE contract_id = c.id)::text AS milestones,
        (SELECT coalesce(json_agg(json_build_object(
                'from', from_status, 'to', to_status, 'reason', reason, 'actor_id', actor_id, 'at', \(utc("at"))) ORDER BY id), '[]')
         FROM contract_transitions WHERE contract_id = c.id)::text AS transitions,
        (SELECT coalesce(json_agg(json_build_object(
                'id', id, 'reason', reason,
                'before', json_build_object('ends_on', ends_on_before, 'amount_cents', amount_before, 'funding', funding_before),
                'after', json_build_object('ends_on', ends_on_after, 'amount_cents', amount_after, 'funding', funding_after),
                'actor_id', actor_id, 'created_at', \(utc("created_at"))) ORDER BY created_at, id), '[]')
         FROM contract_amendments WHERE contract_id = c.id)::text AS amendments
        """
}

extension NamedColumns {
    /// A column of JSON text, decoded as the API's JSON is.
    func json<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: Data(try value(name, as: String.self).utf8))
    }

    /// `json`, for a column that may be NULL.
    func optionalJSON<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T? {
        guard let text = try value(name, as: String?.self) else { return nil }
        return try JSONCoding.decoder.decode(T.self, from: Data(text.utf8))
    }
}

extension Contract: Audited {
    static let auditEntity = "contract"
    var auditID: String { id.lowercased }

    /// A row of `ContractStore.wholeColumns`.
    init(whole row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), requestID: try row.value("request_id"), applicationID: try row.value("application_id"),
            organizationID: try row.value("organization_id"), providerID: try row.value("provider_id"), title: try row.value("title"),
            scope: try row.value("scope"), ubigeo: try row.value("ubigeo"), startsOn: try row.value("starts_on"),
            endsOn: try row.value("ends_on"), amountCents: try row.value("amount_cents"), exclusive: try row.value("exclusive"),
            families: try row.value("families"), status: try row.value("status"), funding: try row.json("funding"),
            milestones: try row.json("milestones"), paidCents: try row.value("paid_cents"), transitions: try row.json("transitions"),
            amendments: try row.json("amendments"), number: try row.value("number"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"))
    }
}
