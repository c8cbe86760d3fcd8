import Foundation
import PostgresNIO
import YachaqDomain

/// Certifications and trainings of providers, and the trainer → trainee tree they form.
public struct LineageStore: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Every trainings write takes this transaction lock, so two trainings that would
    /// together close a loop (A trains B while B trains A) cannot both pass the check.
    private static let lineageLock = 7_263_180_442

    /// Adds a certification to the provider's profile; the trail holds the profile before and after.
    public func certify(_ providerID: UUID, _ draft: CertificationDraft, actor: Identity?) async throws -> Certification {
        try await database.withTransaction(logger: logger) { connection in
            guard let before = try await ProviderStore.load([providerID], on: connection, logger: logger)[providerID] else {
                throw StoreError.notFound("No provider has id \(providerID).")
            }
            let certification = try await connection.run(
                """
                INSERT INTO certifications (provider_id, skill_code, certifier_organization_id, issued_on, valid_until)
                VALUES (\(providerID), \(draft.skill), \(draft.certifierOrganizationID), \(draft.issuedOn.text)::date,
                    \(draft.validUntil?.text)::date)
                RETURNING id, skill_code, certifier_organization_id, issued_on::text AS issued_on, valid_until::text AS valid_until,
                          coalesce(valid_until < current_date, false) AS expired
                """, logger: logger
            ).record(Certification.init)
            let after = try await ProviderStore.load(providerID, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("certify", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return certification
        }
    }

    /// Records a training unless it would make someone their own trainer, at any depth.
    public func record(_ draft: TrainingDraft, actor: Identity?) async throws -> Training {
        try await database.withTransaction(logger: logger) { connection in
            try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.lineageLock))", logger: logger)
            if let trainer = draft.trainerID {
                // Walk up from the trainer; meeting the trainee means the new edge closes a loop.
                let rows = try await connection.run(
                    """
                    WITH RECURSIVE ancestors (id) AS (
                        SELECT \(trainer)::uuid
                        UNION
                        SELECT t.trainer_id FROM trainings t JOIN ancestors a ON t.trainee_id = a.id WHERE t.trainer_id IS NOT NULL
                    )
                    SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = \(draft.traineeID))
                    """, logger: logger)
                if try await rows.decode(Bool.self).first(where: { _ in true }) == true {
                    throw InvalidInput(
                        field: "trainee_id",
                        "this provider already trained the trainer, directly or in cascade: the training would make them their own trainer")
                }
            }
            let training = try await connection.run(
                """
                INSERT INTO trainings (trainer_id, trainee_id, skill_code, organization_id, held_on)
                VALUES (\(draft.trainerID), \(draft.traineeID), \(draft.skill), \(draft.organizationID), \(draft.heldOn.text)::date)
                RETURNING id, trainer_id, trainee_id, skill_code, organization_id, held_on::text AS held_on
                """, logger: logger
            ).record(Training.init)
            try await AuditTrail.write(
                AuditChange("create", before: nil, after: training), actor: actor?.userID, on: connection, logger: logger)
            return training
        }
    }

    /// The whole tree above and below the provider, any depth. The CYCLE clause stops a
    /// walk that comes back to where it has been (bad data from before the check, or imports).
    /// With `publishedOnly`, people whose profile is not published are left out.
    public func lineage(of providerID: UUID, publishedOnly: Bool) async throws -> Lineage {
        let rows = try await database.query(
            """
            WITH RECURSIVE up (trainer_id, trainee_id, skill_code, held_on, depth) AS (
                SELECT trainer_id, trainee_id, skill_code, held_on, 1 FROM trainings
                WHERE trainee_id = \(providerID) AND trainer_id IS NOT NULL
                UNION ALL
                SELECT t.trainer_id, t.trainee_id, t.skill_code, t.held_on, up.depth + 1
                FROM trainings t JOIN up ON t.trainee_id = up.trainer_id WHERE t.trainer_id IS NOT NULL
            ) CYCLE trainer_id SET looped USING up_path,
            down (trainer_id, trainee_id, skill_code, held_on, depth) AS (
                SELECT trainer_id, trainee_id, skill_code, held_on, 1 FROM trainings WHERE trainer_id = \(providerID)
                UNION ALL
                SELECT t.trainer_id, t.trainee_id, t.skill_code, t.held_on, down.depth + 1
                FROM trainings t JOIN down ON t.trainer_id = down.trainee_id
            ) CYCLE trainee_id SET looped USING down_path
            SELECT 'trainer' AS side, e.trainer_id, e.trainee_id, e.skill_code, e.held_on::text AS held_on, e.depth,
                   p.id, p.full_name, p.kind
            FROM up e JOIN providers p ON p.id = e.trainer_id
            WHERE NOT e.looped AND (p.consent_to_publish OR NOT \(publishedOnly))
            UNION ALL
            SELECT 'trainee', e.trainer_id, e.trainee_id, e.skill_code, e.held_on::text, e.depth, p.id, p.full_name, p.kind
            FROM down e JOIN providers p ON p.id = e.trainee_id
            WHERE NOT e.looped AND (p.consent_to_publish OR NOT \(publishedOnly))
            ORDER BY depth, held_on, full_name
            """)
        let edges = try await rows.records { row in (side: try row.value("side", as: String.self), edge: try LineageEdge(row)) }
        return Lineage(
            trainers: edges.filter { $0.side == "trainer" }.map(\.edge), trainees: edges.filter { $0.side == "trainee" }.map(\.edge))
    }
}

extension Certification {
    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), skill: try row.value("skill_code"),
            certifierOrganizationID: try row.value("certifier_organization_id"),
            issuedOn: try row.value("issued_on"), validUntil: try row.value("valid_until"), expired: try row.value("expired")
        )
    }
}

extension Training: Audited {
    static let auditEntity = "training"
    var auditID: String { id.lowercased }

    init(_ row: NamedColumns) throws {
        self.init(
            id: try row.value("id"), trainerID: try row.value("trainer_id"), traineeID: try row.value("trainee_id"),
            skill: try row.value("skill_code"), organizationID: try row.value("organization_id"), heldOn: try row.value("held_on")
        )
    }
}

extension LineageEdge {
    /// A row of the lineage walk: the edge, and the provider at its far end (`id`, `full_name`, `kind`).
    init(_ row: NamedColumns) throws {
        self.init(
            trainerID: try row.value("trainer_id"), traineeID: try row.value("trainee_id"), skill: try row.value("skill_code"),
            heldOn: try row.value("held_on"), depth: try row.value("depth"),
            provider: .init(id: try row.value("id"), fullName: try row.value("full_name"), kind: try row.value("kind"))
        )
    }
}
