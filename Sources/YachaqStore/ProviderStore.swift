import Foundation
import PostgresNIO
import YachaqDomain

/// Provider profiles with their languages, skills and certifications.
public struct ProviderStore: Sendable {
    let database: Database
    let logger: Logger
    let references: ReferenceCodesCache

    public init(database: Database, logger: Logger, references: ReferenceCodesCache) {
        self.database = database
        self.logger = logger
        self.references = references
    }

    static let constraints: [String: ConstraintMeaning] = [
        "providers_national_id_key": .conflict("A provider with this DNI (national_id) is already registered."),
        "providers_home_ubigeo_fkey": .invalid(field: "home_ubigeo", message: "no district has this ubigeo"),
        "users_provider": .conflict("This user already speaks for a provider profile."),
    ]

    /// Creates the profile; when `linkingUser` is given (a provider user registering
    /// itself) that user is linked to it in the same transaction.
    public func create(_ input: ProviderInput, actor: Identity?, linkingUser: UUID? = nil) async throws -> Provider {
        let draft = try input.validated()
        try await references.get().check(draft)
        let id = UUID()
        return try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { connection in
                try await Self.insert([(id, draft)], actor: actor, on: connection, logger: logger)
                if let linkingUser {
                    let rows = try await connection.query("""
                        WITH linked AS (
                            UPDATE users SET provider_id = \(id) WHERE id = \(linkingUser) AND provider_id IS NULL RETURNING id
                        ), audit AS (
                            INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
                            SELECT \(linkingUser), 'link_provider', 'user', id::text, jsonb_build_object('provider_id', \(id)) FROM linked
                        )
                        SELECT count(*) FROM linked
                        """, logger: logger)
                    guard try await rows.decode(Int.self).first(where: { _ in true }) == 1 else {
                        throw StoreError.conflict("This user already speaks for a provider profile.")
                    }
                }
                return try await Self.load([id], on: connection, logger: logger)[0]
            }
        }
    }

    public func find(_ id: UUID) async throws -> Provider? {
        try await database.withConnection { connection in
            try await Self.load([id], on: connection, logger: logger).first
        }
    }

    /// Applies `change` to the stored profile under a row lock, so concurrent changes
    /// serialise instead of overwriting each other; records before and after. Without
    /// `standing` (staff's say), the DNI and a status staff set stay as they are (403).
    public func update(_ id: UUID, actor: Identity?, standing: Bool,
                       change: @Sendable (ProviderInput) throws -> ProviderInput) async throws -> Provider {
        let codes = try await references.get()
        return try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { connection in
                let locked = try await connection.query("""
                    SELECT provider_snapshot(id)::text, status_set_by_staff FROM providers WHERE id = \(id) FOR UPDATE
                    """, logger: logger)
                guard let (before, statusSetByStaff) = try await locked.decode((String, Bool).self).first(where: { _ in true }) else {
                    throw StoreError.notFound("No provider has id \(id).")
                }
                let current = try await Self.load([id], on: connection, logger: logger)[0]
                let draft = try change(ProviderInput(current)).validated()
                let statusChanged = draft.status != current.status
                if !standing {
                    guard draft.nationalId == current.nationalId else { throw StoreError.forbidden("Only staff change a DNI (national_id).") }
                    guard !statusChanged || !statusSetByStaff else {
                        throw StoreError.forbidden("Staff set this profile's status; only staff change it.")
                    }
                }
                try codes.check(draft)
                try await connection.query("""
                    UPDATE providers SET
                        full_name = \(draft.fullName), kind = \(draft.kind.rawValue), gender = \(draft.gender.rawValue),
                        birth_year = \(draft.birthYear), national_id = \(draft.nationalId), phone = \(draft.phone), bio = \(draft.bio),
                        home_ubigeo = \(draft.homeUbigeo.code), daily_rate_cents = \(draft.dailyRateCents),
                        travel_radius_km = \(draft.travelRadiusKm), will_live_in_community = \(draft.willLiveInCommunity),
                        status = \(draft.status.rawValue), consent_to_publish = \(draft.consentToPublish), updated_at = now(),
                        status_set_by_staff = CASE WHEN \(statusChanged) THEN \(standing) ELSE status_set_by_staff END
                    WHERE id = \(id)
                    """, logger: logger)
                try await connection.query("DELETE FROM provider_languages WHERE provider_id = \(id)", logger: logger)
                try await connection.query("DELETE FROM provider_skills WHERE provider_id = \(id)", logger: logger)
                try await Self.insertLanguagesAndSkills([(id, draft)], on: connection, logger: logger)
                try await connection.query("""
                    INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after)
                    VALUES (\(actor?.userID), 'update', 'provider', \(id.uuidString.lowercased()), \(before)::jsonb, provider_snapshot(\(id)))
                    """, logger: logger)
                return try await Self.load([id], on: connection, logger: logger)[0]
            }
        }
    }

    // MARK: Writing many rows at once

    /// Inserts checked profiles, with ids of the caller's choosing, in one transaction (the
    /// demo registry's way in).
    public func add(_ rows: [(id: UUID, draft: ProviderDraft)], actor: Identity?) async throws {
        try await translatingConstraints(Self.constraints) {
            try await database.withTransaction(logger: logger) { try await Self.insert(rows, actor: actor, on: $0, logger: logger) }
        }
    }

    /// Inserts profiles with their languages and skills and one audit row each, in a few
    /// statements whatever the count (arrays unnested server-side).
    static func insert(_ rows: [(id: UUID, draft: ProviderDraft)], actor: Identity?, on connection: PostgresConnection, logger: Logger) async throws {
        let drafts = rows.map(\.draft)
        // Arrays of optionals do not bind; '' and 0 stand for NULL and NULLIF restores it.
        try await connection.query("""
            INSERT INTO providers (id, full_name, kind, gender, birth_year, national_id, phone, bio, home_ubigeo,
                                   daily_rate_cents, travel_radius_km, will_live_in_community, status, consent_to_publish)
            SELECT id, full_name, kind, gender, NULLIF(birth_year, 0), NULLIF(national_id, ''), NULLIF(phone, ''), NULLIF(bio, ''),
                   home_ubigeo, daily_rate_cents, travel_radius_km, will_live_in_community, status, consent_to_publish
            FROM unnest(\(rows.map(\.id))::uuid[], \(drafts.map(\.fullName))::text[], \(drafts.map(\.kind.rawValue))::text[],
                        \(drafts.map(\.gender.rawValue))::text[], \(drafts.map { $0.birthYear ?? 0 })::int[],
                        \(drafts.map { $0.nationalId ?? "" })::text[], \(drafts.map { $0.phone ?? "" })::text[], \(drafts.map { $0.bio ?? "" })::text[],
                        \(drafts.map(\.homeUbigeo.code))::text[], \(drafts.map(\.dailyRateCents))::bigint[], \(drafts.map(\.travelRadiusKm))::int[],
                        \(drafts.map(\.willLiveInCommunity))::bool[], \(drafts.map(\.status.rawValue))::text[], \(drafts.map(\.consentToPublish))::bool[])
                AS new (id, full_name, kind, gender, birth_year, national_id, phone, bio, home_ubigeo,
                        daily_rate_cents, travel_radius_km, will_live_in_community, status, consent_to_publish)
            """, logger: logger)
        try await insertLanguagesAndSkills(rows, on: connection, logger: logger)
        try await connection.query("""
            INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
            SELECT \(actor?.userID), 'create', 'provider', id::text, provider_snapshot(id) FROM unnest(\(rows.map(\.id))::uuid[]) AS id
            """, logger: logger)
    }

    private static func insertLanguagesAndSkills(_ rows: [(id: UUID, draft: ProviderDraft)], on connection: PostgresConnection, logger: Logger) async throws {
        let languages = rows.flatMap { row in row.draft.languages.map { (row.id, $0) } }
        if !languages.isEmpty {
            try await connection.query("""
                INSERT INTO provider_languages (provider_id, language_code, speaking, understanding, reading, writing, can_teach)
                SELECT * FROM unnest(\(languages.map(\.0))::uuid[], \(languages.map(\.1.code))::text[], \(languages.map(\.1.speaking))::smallint[],
                                     \(languages.map(\.1.understanding))::smallint[], \(languages.map(\.1.reading))::smallint[],
                                     \(languages.map(\.1.writing))::smallint[], \(languages.map(\.1.canTeach))::bool[])
                """, logger: logger)
        }
        let skills = rows.flatMap { row in row.draft.skills.map { (row.id, $0) } }
        if !skills.isEmpty {
            try await connection.query("""
                INSERT INTO provider_skills (provider_id, skill_code, level, years)
                SELECT * FROM unnest(\(skills.map(\.0))::uuid[], \(skills.map(\.1.code))::text[], \(skills.map(\.1.level))::smallint[], \(skills.map(\.1.years))::smallint[])
                """, logger: logger)
        }
    }

    // MARK: Reading

    /// The profiles with these ids, in the order of `ids` (missing ones left out).
    static func load(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [Provider] {
        guard !ids.isEmpty else { return [] }
        var providers: [UUID: Provider] = [:]
        let json = JSONDecoder()
        for try await row in try await connection.execute(ProfilesQuery(ids: ids), logger: logger) {
            let languages = row.16.indices.map { index in
                ProviderLanguage(code: row.16[index], speaking: Int(row.17[index]), understanding: Int(row.18[index]), reading: Int(row.19[index]),
                                 writing: Int(row.20[index]), canTeach: row.21[index])
            }
            let skills = row.22.indices.map { ProviderSkill(code: row.22[$0], level: Int(row.23[$0]), years: Int(row.24[$0])) }
            let certifications = try json.decode([Certification].self, from: Data(row.25.utf8))
            providers[row.0] = Provider(
                id: row.0, fullName: row.1, kind: ProviderKind(rawValue: row.2)!, gender: Gender(rawValue: row.3)!, birthYear: row.4,
                nationalId: row.5, phone: row.6, bio: row.7, homeUbigeo: row.8, dailyRateCents: row.9, travelRadiusKm: row.10,
                willLiveInCommunity: row.11, languages: languages, skills: skills,
                certifications: certifications, status: ProviderStatus(rawValue: row.12)!, consentToPublish: row.13,
                createdAt: row.14, updatedAt: row.15
            )
        }
        return ids.compactMap { providers[$0] }
    }

    /// Profiles in one round trip: languages and skills as arrays beside each provider,
    /// certifications (mostly none) as JSON; prepared once per connection. (One query per kind
    /// of row, each planned anew, was a fifth of a shortlist's time in the service.)
    struct ProfilesQuery: PostgresPreparedStatement {
        typealias Row = (UUID, String, String, String, Int?, String?, String?, String?, String, Int64, Int, Bool, String, Bool, Date, Date,
                         [String], [Int16], [Int16], [Int16], [Int16], [Bool], [String], [Int16], [Int16], String)
        static let sql = """
            SELECT p.id, p.full_name, p.kind, p.gender, p.birth_year, p.national_id, p.phone, p.bio, p.home_ubigeo, p.daily_rate_cents,
                   p.travel_radius_km, p.will_live_in_community, p.status, p.consent_to_publish, p.created_at, p.updated_at,
                   l.codes, l.speaking, l.understanding, l.reading, l.writing, l.can_teach, s.codes, s.levels, s.years,
                   coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'id', c.id, 'skill', c.skill_code, 'certifierOrganizationId', c.certifier_organization_id,
                                 'issuedOn', c.issued_on::text, 'validUntil', c.valid_until::text, 'expired', coalesce(c.valid_until < current_date, false))
                                 ORDER BY c.issued_on DESC, c.id)
                             FROM certifications c WHERE c.provider_id = p.id), '[]')::text
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
            WHERE p.id = ANY($1)
            """
        let ids: [UUID]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(ids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }
}
