import Foundation
import PostgresNIO
import YachaqDomain

/// Provider profiles with their languages, skills and certifications.
public struct ProviderStore: Sendable {
    let database: Database
    let logger: Logger
    /// Told after a change to who a token signs in (`SignInCache`).
    let signIns: SignInCache?

    public init(database: Database, logger: Logger, signIns: SignInCache? = nil) {
        self.database = database
        self.logger = logger
        self.signIns = signIns
    }

    /// Creates the profile; when `linkingUser` is given (a provider user registering
    /// itself) that user is linked to it in the same transaction.
    public func create(_ draft: ProviderDraft, actor: Identity?, linkingUser: UUID? = nil) async throws -> Provider {
        guard draft.status != .suspended else { throw InvalidInput(field: "status", "must be active or inactive") }
        let id = UUID()
        defer { if linkingUser != nil { signIns.forgetAll() } }  // after COMMIT: the user now speaks for the profile
        return try await database.withTransaction(logger: logger) { connection in
            try await Self.insert([(id, draft)], actor: actor, on: connection, logger: logger)
            if let linkingUser {
                try await UserStore.linkProvider(id, to: linkingUser, actor: actor, on: connection, logger: logger)
            }
            return try await Self.load(id, on: connection, logger: logger)
        }
    }

    /// The providers with these ids, by id (ids without one left out).
    public func find(_ ids: [UUID]) async throws -> [UUID: Provider] {
        try await database.withConnection { try await Self.load(ids, on: $0, logger: logger) }
    }

    public func find(_ id: UUID) async throws -> Provider? {
        try await database.withConnection { connection in
            try await Self.load([id], on: connection, logger: logger)[id]
        }
    }

    /// Applies `change` (which checks what it makes) to the stored profile under a row lock,
    /// so concurrent changes serialise instead of overwriting each other. Without `standing`
    /// (staff's say), the DNI and a status staff set stay as they are (403).
    public func update(
        _ id: UUID, actor: Identity?, standing: Bool,
        change: @Sendable (ProviderInput) throws -> ProviderDraft
    ) async throws -> Provider {
        try await database.withTransaction(logger: logger) { connection in
            let locked = try await connection.run("SELECT status_set_by_staff FROM providers WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let statusSetByStaff = try await locked.decode(Bool.self).first(where: { _ in true }) else {
                throw StoreError.notFound("No provider has id \(id).")
            }
            let before = try await Self.load(id, on: connection, logger: logger)
            let draft = try change(ProviderInput(before))
            let statusChanged = draft.status != before.status
            if statusChanged, before.status == .suspended || draft.status == .suspended {
                throw StoreError.conflict("A suspension is set and lifted only by an admin's review (POST /v1/providers/{id}/reviews).")
            }
            if !standing {
                guard draft.nationalID == before.nationalID else { throw StoreError.forbidden("Only staff change a DNI (national_id).") }
                guard !statusChanged || !statusSetByStaff else {
                    throw StoreError.forbidden("Staff set this profile's status; only staff change it.")
                }
            }
            try await connection.execute(
                """
                UPDATE providers SET
                    full_name = \(draft.fullName), kind = \(draft.kind.rawValue), gender = \(draft.gender.rawValue),
                    birth_year = \(draft.birthYear), national_id = \(draft.nationalID), phone = \(draft.phone), bio = \(draft.bio),
                    home_ubigeo = \(draft.homeUbigeo.code), daily_rate_cents = \(draft.dailyRateCents),
                    travel_radius_km = \(draft.travelRadiusKm), will_live_in_community = \(draft.willLiveInCommunity),
                    status = \(draft.status.rawValue), consent_to_publish = \(draft.consentToPublish), updated_at = now(),
                    status_set_by_staff = CASE WHEN \(statusChanged) THEN \(standing) ELSE status_set_by_staff END
                WHERE id = \(id)
                """, logger: logger)
            try await connection.execute("DELETE FROM provider_languages WHERE provider_id = \(id)", logger: logger)
            try await connection.execute("DELETE FROM provider_skills WHERE provider_id = \(id)", logger: logger)
            try await Self.insertLanguagesAndSkills([(id, draft)], on: connection, logger: logger)
            let after = try await Self.load(id, on: connection, logger: logger)
            try await AuditTrail.write(
                AuditChange("update", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after
        }
    }

    // MARK: Writing many rows at once

    /// Inserts checked profiles, with ids of the caller's choosing, in one transaction (the
    /// demo registry's way in).
    public func add(_ rows: [(id: UUID, draft: ProviderDraft)], actor: Identity?) async throws {
        guard rows.allSatisfy({ $0.draft.status != .suspended }) else { throw InvalidInput(field: "status", "must be active or inactive") }
        try await database.withTransaction(logger: logger) { try await Self.insert(rows, actor: actor, on: $0, logger: logger) }
    }

    /// Inserts profiles with their languages and skills and one audit row each (the profile
    /// as loaded back), in a few statements whatever the count (arrays unnested server-side).
    static func insert(_ rows: [(id: UUID, draft: ProviderDraft)], actor: Identity?, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        let drafts = rows.map(\.draft)
        // Arrays of optionals do not bind; '' and 0 stand for NULL and NULLIF restores it.
        try await connection.execute(
            """
            INSERT INTO providers (id, full_name, kind, gender, birth_year, national_id, phone, bio, home_ubigeo,
                                   daily_rate_cents, travel_radius_km, will_live_in_community, status, consent_to_publish)
            SELECT id, full_name, kind, gender, NULLIF(birth_year, 0), NULLIF(national_id, ''), NULLIF(phone, ''), NULLIF(bio, ''),
                   home_ubigeo, daily_rate_cents, travel_radius_km, will_live_in_community, status, consent_to_publish
            FROM unnest(\(rows.map(\.id))::uuid[], \(drafts.map(\.fullName))::text[], \(drafts.map(\.kind.rawValue))::text[],
                        \(drafts.map(\.gender.rawValue))::text[], \(drafts.map { $0.birthYear ?? 0 })::int[],
                        \(drafts.map { $0.nationalID ?? "" })::text[], \(drafts.map { $0.phone ?? "" })::text[],
                            \(drafts.map { $0.bio ?? "" })::text[],
                        \(drafts.map(\.homeUbigeo.code))::text[], \(drafts.map(\.dailyRateCents))::bigint[],
                            \(drafts.map(\.travelRadiusKm))::int[],
                        \(drafts.map(\.willLiveInCommunity))::bool[], \(drafts.map(\.status.rawValue))::text[],
                            \(drafts.map(\.consentToPublish))::bool[])
                AS new (id, full_name, kind, gender, birth_year, national_id, phone, bio, home_ubigeo,
                        daily_rate_cents, travel_radius_km, will_live_in_community, status, consent_to_publish)
            """, logger: logger)
        try await insertLanguagesAndSkills(rows, on: connection, logger: logger)
        let created = try await load(rows.map(\.id), on: connection, logger: logger).inOrder(of: rows.map(\.id), entity: "provider")
        let changes = try created.map { try AuditChange("create", before: nil, after: $0) }
        try await AuditTrail.write(changes, actor: actor?.userID, on: connection, logger: logger)
    }

    private static func insertLanguagesAndSkills(
        _ rows: [(id: UUID, draft: ProviderDraft)], on connection: PostgresConnection, logger: Logger
    ) async throws {
        let languages = rows.flatMap { row in row.draft.languages.map { (row.id, $0) } }
        if !languages.isEmpty {
            try await connection.execute(
                """
                INSERT INTO provider_languages (provider_id, language_code, speaking, understanding, reading, writing, can_teach)
                SELECT * FROM unnest(\(languages.map(\.0))::uuid[], \(languages.map(\.1.code))::text[],
                    \(languages.map(\.1.speaking))::smallint[],
                                     \(languages.map(\.1.understanding))::smallint[], \(languages.map(\.1.reading))::smallint[],
                                     \(languages.map(\.1.writing))::smallint[], \(languages.map(\.1.canTeach))::bool[])
                """, logger: logger)
        }
        let skills = rows.flatMap { row in row.draft.skills.map { (row.id, $0) } }
        if !skills.isEmpty {
            try await connection.execute(
                """
                INSERT INTO provider_skills (provider_id, skill_code, level, years)
                SELECT * FROM unnest(\(skills.map(\.0))::uuid[], \(skills.map(\.1.code))::text[],
                    \(skills.map(\.1.level))::smallint[], \(skills.map(\.1.years))::smallint[])
                """, logger: logger)
        }
    }

    // MARK: Reading

    /// The profiles with these ids, by id (ids without one left out).
    static func load(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: Provider] {
        guard !ids.isEmpty else { return [:] }
        var providers: [UUID: Provider] = [:]
        for try await provider in try await connection.run(ProfilesQuery(ids: ids), logger: logger) {
            providers[provider.id] = provider
        }
        return providers
    }

    /// The profile with this id, which the caller knows to exist (it just wrote or locked it).
    static func load(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Provider {
        try await load([id], on: connection, logger: logger).inOrder(of: [id], entity: "provider")[0]
    }

    /// The profiles' statement for those that meet `condition` (on `p`, the providers row),
    /// also the shortlist's, beside each ranked provider.
    static func profiles(where condition: String) -> String {
        """
        SELECT p.id, p.full_name, p.kind, p.gender, p.birth_year, p.national_id, p.phone, p.bio, p.home_ubigeo, p.daily_rate_cents,
               p.travel_radius_km, p.will_live_in_community, p.status, p.consent_to_publish, p.created_at, p.updated_at,
               l.codes AS language_codes, l.speaking, l.understanding, l.reading, l.writing, l.can_teach,
               s.codes AS skill_codes, s.levels AS skill_levels, s.years AS skill_years,
               coalesce((SELECT jsonb_agg(jsonb_build_object(
                             'id', c.id, 'skill', c.skill_code, 'certifier_organization_id', c.certifier_organization_id,
                             'issued_on', c.issued_on::text, 'valid_until', c.valid_until::text, 'expired',
                                 coalesce(c.valid_until < current_date, false))
                             ORDER BY c.issued_on DESC, c.id)
                         FROM certifications c WHERE c.provider_id = p.id), '[]')::text AS certifications
        FROM providers p
        CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(language_code ORDER BY speaking DESC, language_code), '{}') AS codes,
                   coalesce(array_agg(speaking ORDER BY speaking DESC, language_code), '{}') AS speaking,
                   coalesce(array_agg(understanding ORDER BY speaking DESC, language_code), '{}') AS understanding,
                   coalesce(array_agg(reading ORDER BY speaking DESC, language_code), '{}') AS reading,
                   coalesce(array_agg(writing ORDER BY speaking DESC, language_code), '{}') AS writing,
                   coalesce(array_agg(can_teach ORDER BY speaking DESC, language_code), '{}') AS can_teach
            FROM provider_languages WHERE provider_id = p.id) l
        CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(skill_code ORDER BY level DESC, skill_code), '{}') AS codes,
                   coalesce(array_agg(level ORDER BY level DESC, skill_code), '{}') AS levels,
                   coalesce(array_agg(years ORDER BY level DESC, skill_code), '{}') AS years
            FROM provider_skills WHERE provider_id = p.id) s
        WHERE \(condition)
        """
    }

    /// Profiles in one round trip: languages and skills as arrays beside each provider,
    /// certifications (mostly none) as JSON; prepared once per connection. (One query per kind
    /// of row, each planned anew, was a fifth of a shortlist's time in the service.)
    struct ProfilesQuery: PostgresPreparedStatement {
        typealias Row = Provider
        static let sql = profiles(where: "p.id = ANY($1)")
        let ids: [UUID]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(ids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Provider {
            try Provider(NamedColumns(row))
        }
    }
}

extension Provider: Audited {
    static let auditEntity = "provider"
    var auditID: String { id.lowercased }

    /// A row of `ProviderStore.ProfilesQuery`; the arrays of one language (or skill) are
    /// parallel, aggregated in the same order.
    init(_ row: NamedColumns) throws {
        let codes: [String] = try row.value("language_codes"), speaking: [Int16] = try row.value("speaking")
        let understanding: [Int16] = try row.value("understanding"), reading: [Int16] = try row.value("reading")
        let writing: [Int16] = try row.value("writing"), canTeach: [Bool] = try row.value("can_teach")
        let languages = codes.indices.map { index in
            ProviderLanguage(
                code: codes[index], speaking: Int(speaking[index]), understanding: Int(understanding[index]),
                reading: Int(reading[index]), writing: Int(writing[index]), canTeach: canTeach[index])
        }
        let skillCodes: [String] = try row.value("skill_codes"), levels: [Int16] = try row.value("skill_levels")
        let years: [Int16] = try row.value("skill_years")
        let skills = skillCodes.indices.map { ProviderSkill(code: skillCodes[$0], level: Int(levels[$0]), years: Int(years[$0])) }
        let certifications: String = try row.value("certifications")
        self.init(
            id: try row.value("id"), fullName: try row.value("full_name"), kind: try row.value("kind"), gender: try row.value("gender"),
            birthYear: try row.value("birth_year"), nationalID: try row.value("national_id"), phone: try row.value("phone"),
            bio: try row.value("bio"), homeUbigeo: try row.value("home_ubigeo"), dailyRateCents: try row.value("daily_rate_cents"),
            travelRadiusKm: try row.value("travel_radius_km"), willLiveInCommunity: try row.value("will_live_in_community"),
            languages: languages, skills: skills,
            certifications: try JSONCoding.decoder.decode([Certification].self, from: Data(certifications.utf8)),
            status: try row.value("status"), consentToPublish: try row.value("consent_to_publish"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at")
        )
    }
}
