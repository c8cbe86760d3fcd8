import Foundation
import PostgresNIO
import YachaqDomain

/// The communities' ratings of finished contracts, and each provider's public summary.
public struct RatingStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Rates the contract, under a lock on it: only once it is completed or terminated, and
    /// only once (the primary key settles two raters at the same moment: 409).
    public func rate(_ contractID: UUID, _ draft: RatingDraft, actor: Identity?) async throws -> Rating {
        try await database.withTransaction(logger: logger) { connection in
            let status = try await connection.run(
                "SELECT status FROM contracts WHERE id = \(contractID) FOR SHARE", logger: logger
            ).records { try $0.value("status", as: ContractStatus.self) }.first
            guard let status else { throw StoreError.notFound("No contract has id \(contractID).") }
            guard status.canBeRated else {
                throw StoreError.conflict("The contract is \(status.rawValue); it is rated once it is completed or terminated.")
            }
            let rating = try await connection.run(
                """
                INSERT INTO ratings (contract_id, provider_id, organization_id, technical, communication, punctuality, results,
                                     would_hire_again, comment, targets, rated_by)
                SELECT id, provider_id, organization_id, \(draft.technical), \(draft.communication), \(draft.punctuality), \(draft.results),
                       \(draft.wouldHireAgain), \(draft.comment), \(try AuditChange.json(draft.targets))::jsonb, \(actor?.userID)
                FROM contracts WHERE id = \(contractID)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(Rating.init)
            try await AuditTrail.write(
                AuditChange("rate", before: nil, after: rating), actor: actor?.userID, on: connection, logger: logger)
            return rating
        }
    }

    /// Hides the rating's comment (once), keeping why and when; the scores stay.
    public func hideComment(of contractID: UUID, reason: String, actor: Identity?) async throws -> Rating {
        try await database.withTransaction(logger: logger) { connection in
            guard let before = try await Self.load(contractID, on: connection, logger: logger, locking: true) else {
                throw StoreError.notFound("Contract \(contractID) has no rating.")
            }
            guard before.commentHiddenAt == nil else { throw StoreError.conflict("This rating's comment is hidden already.") }
            let after = try await connection.run(
                """
                UPDATE ratings SET comment_hidden_reason = \(reason), comment_hidden_by = \(actor?.userID), comment_hidden_at = now()
                WHERE contract_id = \(contractID)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(Rating.init)
            try await AuditTrail.write(
                AuditChange("hide_comment", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    public func find(contractID: UUID) async throws -> Rating? {
        try await database.withConnection { try await Self.load(contractID, on: $0, logger: logger) }
    }

    /// The ratings of these contracts (those rated), by contract, in one query.
    public func find(contractIDs: [UUID]) async throws -> [UUID: Rating] {
        let ratings = try await database.query("SELECT \(unescaped: Self.columns) FROM ratings WHERE contract_id = ANY(\(contractIDs))")
            .records(Rating.init)
        return Dictionary(ratings.map { ($0.contractID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The provider's public summary (`RatingSummary`).
    public func summary(providerID: UUID) async throws -> RatingSummary {
        try await database.withConnection { try await Self.summary(providerID: providerID, on: $0, logger: logger) }
    }

    static func summary(providerID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> RatingSummary {
        try await connection.run(
            """
            SELECT count(*)::int AS count, coalesce(sum(technical), 0)::int AS technical,
                   coalesce(sum(communication), 0)::int AS communication, coalesce(sum(punctuality), 0)::int AS punctuality,
                   coalesce(sum(results), 0)::int AS results, count(*) FILTER (WHERE would_hire_again)::int AS yes,
                   count(*) FILTER (WHERE NOT would_hire_again)::int AS no
            FROM ratings WHERE provider_id = \(providerID)
            """, logger: logger
        ).record { row in
            RatingSummary(
                count: try row.value("count"), technical: try row.value("technical"), communication: try row.value("communication"),
                punctuality: try row.value("punctuality"), results: try row.value("results"), hireAgainYes: try row.value("yes"),
                hireAgainNo: try row.value("no"))
        }
    }

    static func load(_ contractID: UUID, on connection: PostgresConnection, logger: Logger, locking: Bool = false) async throws -> Rating? {
        try await connection.run(
            """
            SELECT \(unescaped: columns) FROM ratings WHERE contract_id = \(contractID) \(unescaped: locking ? "FOR UPDATE" : "")
            """, logger: logger
        ).records(Rating.init).first
    }

    static let columns = """
        contract_id, provider_id, organization_id, technical, communication, punctuality, results, would_hire_again, comment,
        targets::text AS targets, comment_hidden_reason, comment_hidden_at, rated_by, created_at
        """
}

extension Rating: Audited {
    static let auditEntity = "rating"
    var auditID: String { contractID.lowercased }

    init(_ row: NamedColumns) throws {
        let targets = try JSONCoding.decoder.decode([RatingTarget].self, from: Data(try row.value("targets", as: String.self).utf8))
        self.init(
            contractID: try row.value("contract_id"), providerID: try row.value("provider_id"),
            organizationID: try row.value("organization_id"), technical: Int(try row.value("technical", as: Int16.self)),
            communication: Int(try row.value("communication", as: Int16.self)),
            punctuality: Int(try row.value("punctuality", as: Int16.self)),
            results: Int(try row.value("results", as: Int16.self)), wouldHireAgain: try row.value("would_hire_again"),
            comment: try row.value("comment"), targets: targets, commentHiddenReason: try row.value("comment_hidden_reason"),
            commentHiddenAt: try row.value("comment_hidden_at"), ratedBy: try row.value("rated_by"), createdAt: try row.value("created_at"))
    }
}
