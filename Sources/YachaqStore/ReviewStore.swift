import Foundation
import PostgresNIO
import YachaqDomain

/// Staff's performance reviews of providers, each keeping the scorecard it was based on, and
/// the providers' answers.
public struct ReviewStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Records the review under a lock on the provider. A suspension (of a provider not
    /// suspended) sets its status to `suspended`, which takes it out of matching; a
    /// reinstatement (of a suspended one) sets it `active` again. Other decisions change nothing.
    public func review(_ providerID: UUID, _ draft: ReviewDraft, actor: Identity?) async throws -> ProviderReview {
        try await database.withTransaction(logger: logger) { connection in
            let status = try await connection.run("SELECT status FROM providers WHERE id = \(providerID) FOR UPDATE", logger: logger)
                .records { try $0.value("status", as: ProviderStatus.self) }.first
            guard let status else { throw StoreError.notFound("No provider has id \(providerID).") }
            if draft.decision == .suspend, status == .suspended { throw StoreError.conflict("The provider is suspended already.") }
            if draft.decision == .reinstate, status != .suspended { throw StoreError.conflict("The provider is not suspended.") }
            guard let scorecard = try await ScorecardStore.scorecard(of: providerID, on: connection, logger: logger) else {
                throw StoreError.notFound("No provider has id \(providerID).")
            }
            let review = try await connection.run(
                """
                INSERT INTO provider_reviews (provider_id, period, summary, decision, reason, training, scorecard, reviewer_id)
                VALUES (\(providerID), daterange(\(draft.periodFrom.text)::date, \(draft.periodTo.text)::date, '[]'), \(draft.summary),
                        \(draft.decision.rawValue), \(draft.reason), \(draft.training), \(try AuditChange.json(scorecard))::jsonb,
                        \(actor?.userID))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(ProviderReview.init)
            var changes = [try AuditChange("create", before: nil, after: review)]
            let standing: ProviderStatus? =
                switch draft.decision {
                case .suspend: .suspended
                case .reinstate: .active
                case .keep, .needsTraining: nil
                }
            if let standing {
                let before = try await ProviderStore.load(providerID, on: connection, logger: logger)
                try await connection.execute(
                    """
                    UPDATE providers SET status = \(standing.rawValue), status_set_by_staff = true, updated_at = now()
                    WHERE id = \(providerID)
                    """, logger: logger)
                let after = try await ProviderStore.load(providerID, on: connection, logger: logger)
                changes.append(try AuditChange(draft.decision.rawValue, before: before, after: after))
            }
            try await AuditTrail.write(changes, actor: actor?.userID, on: connection, logger: logger)
            return review
        }
    }

    /// The provider's answer to a review, once.
    public func answer(_ reviewID: UUID, _ text: String, actor: Identity?) async throws -> ProviderReview {
        try await database.withTransaction(logger: logger) { connection in
            guard let before = try await Self.load(reviewID, on: connection, logger: logger, locking: true) else {
                throw StoreError.notFound("No review has id \(reviewID).")
            }
            guard before.answeredAt == nil else { throw StoreError.conflict("This review has been answered already.") }
            let after = try await connection.run(
                """
                UPDATE provider_reviews SET answer = \(text), answered_at = now() WHERE id = \(reviewID)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(ProviderReview.init)
            try await AuditTrail.write(
                AuditChange("answer", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    public func find(_ reviewID: UUID) async throws -> ProviderReview? {
        try await database.withConnection { try await Self.load(reviewID, on: $0, logger: logger) }
    }

    /// The provider's reviews, oldest first.
    public func list(providerID: UUID) async throws -> [ProviderReview] {
        try await database.query(
            "SELECT \(unescaped: Self.columns) FROM provider_reviews WHERE provider_id = \(providerID) ORDER BY created_at, id",
            logger: logger
        ).records(ProviderReview.init)
    }

    static func load(_ id: UUID, on connection: PostgresConnection, logger: Logger, locking: Bool = false) async throws -> ProviderReview? {
        try await connection.run(
            "SELECT \(unescaped: columns) FROM provider_reviews WHERE id = \(id) \(unescaped: locking ? "FOR UPDATE" : "")", logger: logger
        ).records(ProviderReview.init).first
    }

    static let columns = """
        id, provider_id, lower(period)::text AS period_from, (upper(period) - 1)::text AS period_to, summary, decision, reason, training,
        scorecard::text AS scorecard, reviewer_id, created_at, answer, answered_at
        """
}

extension ProviderReview: Audited {
    static let auditEntity = "review"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        let scorecard = try JSONCoding.decoder.decode(ProviderScorecard.self, from: Data(try row.value("scorecard", as: String.self).utf8))
        self.init(
            id: try row.value("id"), providerID: try row.value("provider_id"), periodFrom: try row.value("period_from"),
            periodTo: try row.value("period_to"), summary: try row.value("summary"), decision: try row.value("decision"),
            reason: try row.value("reason"), training: try row.value("training"), scorecard: scorecard,
            reviewerID: try row.value("reviewer_id"),
            createdAt: try row.value("created_at"), answer: try row.value("answer"), answeredAt: try row.value("answered_at"))
    }
}
