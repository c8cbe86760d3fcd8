import Foundation
import PostgresNIO
import YachaqDomain

/// Certifications and trainings of providers, and the trainer → trainee tree they form.
public struct LineageStore: Sendable {
    let database: Database
    let logger: Logger
    let references: ReferenceCodesCache

    public init(database: Database, logger: Logger, references: ReferenceCodesCache) {
        self.database = database
        self.logger = logger
        self.references = references
    }

    private static let constraints: [String: ConstraintMeaning] = [
        "certifications_provider_id_fkey": .invalid(field: "provider_id", message: "no provider has this id"),
        "certifications_certifier_organization_id_fkey": .invalid(field: "certifier_organization_id", message: "no organisation has this id"),
        "trainings_trainer_id_fkey": .invalid(field: "trainer_id", message: "no provider has this id"),
        "trainings_trainee_id_fkey": .invalid(field: "trainee_id", message: "no provider has this id"),
        "trainings_organization_id_fkey": .invalid(field: "organization_id", message: "no organisation has this id"),
    ]

    /// Every trainings write takes this transaction lock, so two trainings that would
    /// together close a loop (A trains B while B trains A) cannot both pass the check.
    private static let lineageLock = 7_263_180_442

    public func certify(_ providerID: UUID, _ input: NewCertification, actor: Identity?) async throws -> Certification {
        let dates = try input.validated()
        guard try await references.get().skills.contains(input.skill) else {
            throw ValidationError(field: "skill", "unknown skill \(input.skill) (a skill, not a group, of /v1/skills)")
        }
        return try await translatingConstraints(Self.constraints) {
            let rows = try await database.query("""
                WITH inserted AS (
                    INSERT INTO certifications (provider_id, skill_code, certifier_organization_id, issued_on, valid_until)
                    VALUES (\(providerID), \(input.skill), \(input.certifierOrganizationId), \(dates.issuedOn.text)::date, \(dates.validUntil?.text)::date)
                    RETURNING *
                ), audit AS (
                    INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                    SELECT \(actor?.userID), 'certify', 'provider', provider_id::text, to_jsonb(inserted) FROM inserted
                )
                SELECT id, skill_code, certifier_organization_id, issued_on::text, valid_until::text, coalesce(valid_until < current_date, false)
                FROM inserted
                """)
            for try await row in rows.decode((UUID, String, UUID, String, String?, Bool).self) {
                return Certification(id: row.0, skill: row.1, certifierOrganizationId: row.2, issuedOn: row.3, validUntil: row.4, expired: row.5)
            }
            throw StoreError.notFound("No provider has id \(providerID).")
        }
    }

    /// Records a training unless it would make someone their own trainer, at any depth.
    public func record(_ input: NewTraining, actor: Identity?) async throws -> Training {
        let heldOn = try input.validated()
        guard try await references.get().skills.contains(input.skill) else {
            throw ValidationError(field: "skill", "unknown skill \(input.skill) (a skill, not a group, of /v1/skills)")
        }
        return try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lineageLock))", logger: logger)
                if let trainer = input.trainerId {
                    // Walk up from the trainer; meeting the trainee means the new edge closes a loop.
                    let rows = try await connection.query("""
                        WITH RECURSIVE ancestors (id) AS (
                            SELECT \(trainer)::uuid
                            UNION
                            SELECT t.trainer_id FROM trainings t JOIN ancestors a ON t.trainee_id = a.id WHERE t.trainer_id IS NOT NULL
                        )
                        SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = \(input.traineeId))
                        """, logger: logger)
                    if try await rows.decode(Bool.self).first(where: { _ in true }) == true {
                        throw ValidationError(field: "trainee_id", "this provider already trained the trainer, directly or in cascade: the training would make them their own trainer")
                    }
                }
                let rows = try await connection.query("""
                    WITH inserted AS (
                        INSERT INTO trainings (trainer_id, trainee_id, skill_code, organization_id, held_on)
                        VALUES (\(input.trainerId), \(input.traineeId), \(input.skill), \(input.organizationId), \(heldOn.text)::date)
                        RETURNING *
                    ), audit AS (
                        INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                        SELECT \(actor?.userID), 'create', 'training', id::text, to_jsonb(inserted) FROM inserted
                    )
                    SELECT id, trainer_id, trainee_id, skill_code, organization_id, held_on::text FROM inserted
                    """, logger: logger)
                for try await row in rows.decode((UUID, UUID?, UUID, String, UUID?, String).self) {
                    return Training(id: row.0, trainerId: row.1, traineeId: row.2, skill: row.3, organizationId: row.4, heldOn: row.5)
                }
                preconditionFailure("INSERT ... RETURNING returned no row")
            }
        }
    }

    /// The whole tree above and below the provider, any depth. The CYCLE clause stops a
    /// walk that comes back to where it has been (bad data from before the check, or imports).
    /// With `publishedOnly`, people whose profile is not published are left out.
    public func lineage(of providerID: UUID, publishedOnly: Bool) async throws -> Lineage {
        let rows = try await database.query("""
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
            SELECT 'trainer', e.trainer_id, e.trainee_id, e.skill_code, e.held_on::text, e.depth, p.id, p.full_name, p.kind
            FROM up e JOIN providers p ON p.id = e.trainer_id
            WHERE NOT e.looped AND (p.consent_to_publish OR NOT \(publishedOnly))
            UNION ALL
            SELECT 'trainee', e.trainer_id, e.trainee_id, e.skill_code, e.held_on::text, e.depth, p.id, p.full_name, p.kind
            FROM down e JOIN providers p ON p.id = e.trainee_id
            WHERE NOT e.looped AND (p.consent_to_publish OR NOT \(publishedOnly))
            ORDER BY 6, 5, 8
            """)
        var lineage = Lineage(trainers: [], trainees: [])
        for try await row in rows.decode((String, UUID, UUID, String, String, Int, UUID, String, String).self) {
            let edge = LineageEdge(trainerId: row.1, traineeId: row.2, skill: row.3, heldOn: row.4, depth: row.5,
                                   provider: .init(id: row.6, fullName: row.7, kind: ProviderKind(rawValue: row.8)!))
            if row.0 == "trainer" { lineage.trainers.append(edge) } else { lineage.trainees.append(edge) }
        }
        return lineage
    }
}
