import Foundation
import PostgresNIO
import YachaqDomain

/// What `GET /v1/providers` asks for.
public struct ProviderSearch: Sendable {
    /// A skill code, or a group code for any skill of the group.
    public var skill: String?
    /// A language code; a macrolanguage (`que`) matches all of its varieties.
    public var language: String?
    public var minSpeaking: Int = 0
    /// Capital coordinates of the district to measure from, and how far.
    public var near: (latitude: Double, longitude: Double)?
    public var radiusKm: Double = 50
    public var text: String?
    public var kind: ProviderKind?
    public var gender: Gender?
    /// nil: any status (staff); the public sees active providers only.
    public var status: ProviderStatus? = .active
    /// Staff see profiles without consent to publish; nobody else does.
    public var includeUnpublished = false
    public var cursor: String?
    public var limit: Int = PageLimit.default

    public init() {}
}

/// A search result: the profile and, for a search near a district, how far its home is.
public struct ProviderHit: Sendable, Encodable {
    public var provider: Provider
    public var distanceKm: Double?

    public init(provider: Provider, distanceKm: Double?) {
        self.provider = provider
        self.distanceKm = distanceKm
    }

    /// The profile's fields with `distance_km` beside them.
    public func encode(to encoder: any Encoder) throws {
        try provider.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(distanceKm.map { ($0 * 10).rounded() / 10 }, forKey: .distanceKm)
    }

    private enum CodingKeys: String, CodingKey { case distanceKm }
}

extension ProviderStore {
    /// The search, written for the planner: only the filters asked for appear in the SQL
    /// (a generic `(x IS NULL OR ...)` plan would use no index), each with its index:
    /// - `near`/`radius_km`: `earth_box(...) @> home_point` is a GiST range scan on
    ///   `providers_home_point`; `earth_distance` then trims the box's corners exactly.
    /// - `q`: `search_key(q) <% name_key` (word similarity) uses the trigram GIN index
    ///   `providers_name_trgm`, so "quispe mamany" finds "Quispe Mamani".
    /// - `skill`: `provider_skills_by_skill` (skill_code text_pattern_ops) serves both the
    ///   exact code and a group's `code.%` prefix; `language`: `provider_languages_by_language`
    ///   (language_code, speaking) with the varieties of a macrolanguage from `languages`.
    ///   Both are semi-joins the planner can drive from the index or probe per provider
    ///   through the primary keys (provider_id, ...), whichever is more selective.
    /// - `kind`/`gender` on active providers: `providers_kind_gender`; no filter at all:
    ///   `providers_name_order` walks names in order and stops at the page size.
    /// Pages are keyset cursors on the sort key and id, never OFFSET.
    public func search(_ search: ProviderSearch) async throws -> Page<ProviderHit> {
        enum Order { case distance, similarity, name }
        let order: Order = search.near != nil ? .distance : search.text != nil ? .similarity : .name
        // The sort key of the last row: a name, or a finite distance or similarity.
        var after: (key: String, number: Double, id: UUID)?
        if let cursor = search.cursor {
            guard let parts = Cursor.decode(cursor, count: 2), let id = UUID(uuidString: parts[1]) else {
                throw ValidationError(field: "cursor", "is not a cursor this search gave out")
            }
            let number = Double(parts[0]) ?? .nan
            guard order == .name || (number.isFinite && abs(number) <= 100_000) else {
                throw ValidationError(field: "cursor", "is not a cursor this search gave out")
            }
            after = (parts[0], number, id)
        }

        var sql = PostgresQuery.StringInterpolation(literalCapacity: 2048, interpolationCount: 16)
        /// `ll_to_earth(lat, lon)` of the district searched near, both bound.
        func appendOrigin(_ near: (latitude: Double, longitude: Double)) {
            sql.appendLiteral("ll_to_earth(")
            sql.appendInterpolation(near.latitude)
            sql.appendLiteral(", ")
            sql.appendInterpolation(near.longitude)
            sql.appendLiteral(")")
        }
        sql.appendLiteral("SELECT p.id, ")
        switch order {
        case .distance:
            sql.appendLiteral("earth_distance(p.home_point, ")
            appendOrigin(search.near!)
            sql.appendLiteral(") / 1000.0 AS sort_key")
        case .similarity:
            sql.appendLiteral("word_similarity(search_key(")
            sql.appendInterpolation(search.text!)
            sql.appendLiteral("), p.name_key)::float8 AS sort_key")
        case .name:
            sql.appendLiteral("p.name_key AS sort_key")
        }
        sql.appendLiteral(" FROM providers p WHERE true")
        if let status = search.status {
            sql.appendLiteral(" AND p.status = ")
            sql.appendInterpolation(status.rawValue)
        }
        if !search.includeUnpublished { sql.appendLiteral(" AND p.consent_to_publish") }
        if let kind = search.kind {
            sql.appendLiteral(" AND p.kind = ")
            sql.appendInterpolation(kind.rawValue)
        }
        if let gender = search.gender {
            sql.appendLiteral(" AND p.gender = ")
            sql.appendInterpolation(gender.rawValue)
        }
        if let skill = search.skill {
            sql.appendLiteral(" AND EXISTS (SELECT 1 FROM provider_skills s WHERE s.provider_id = p.id AND (s.skill_code = ")
            sql.appendInterpolation(skill)
            sql.appendLiteral(" OR s.skill_code LIKE ")
            sql.appendInterpolation(likeEscaped(skill) + ".%")
            sql.appendLiteral("))")
        }
        if let language = search.language {
            sql.appendLiteral(" AND EXISTS (SELECT 1 FROM provider_languages l WHERE l.provider_id = p.id AND l.speaking >= ")
            sql.appendInterpolation(search.minSpeaking)
            sql.appendLiteral(" AND l.language_code IN (SELECT code FROM languages WHERE code = ")
            sql.appendInterpolation(language)
            sql.appendLiteral(" OR macrolanguage = ")
            sql.appendInterpolation(language)
            sql.appendLiteral("))")
        }
        if let near = search.near {
            let metres = search.radiusKm * 1000
            sql.appendLiteral(" AND earth_box(")
            appendOrigin(near)
            sql.appendLiteral(", ")
            sql.appendInterpolation(metres)
            sql.appendLiteral(") @> p.home_point AND earth_distance(p.home_point, ")
            appendOrigin(near)
            sql.appendLiteral(") <= ")
            sql.appendInterpolation(metres)
        }
        if let text = search.text {
            sql.appendLiteral(" AND search_key(")
            sql.appendInterpolation(text)
            sql.appendLiteral(") <% p.name_key")
        }
        // The select list bound the origin (lat $1, lon $2) or the text ($1) first, so the
        // keyset condition can name them again.
        let sortKey: String = switch order {
        case .distance: "earth_distance(p.home_point, ll_to_earth($1, $2)) / 1000.0"
        case .similarity: "word_similarity(search_key($1), p.name_key)::float8"
        case .name: "p.name_key"
        }
        if let after {
            switch order {
            case .distance:
                sql.appendLiteral(" AND (\(sortKey), p.id) > (")
                sql.appendInterpolation(after.number)
            case .similarity:
                // Best match first: the next page has a lower score, or the same score and a later id.
                sql.appendLiteral(" AND (\(sortKey) < ")
                sql.appendInterpolation(after.number)
                sql.appendLiteral(" OR (\(sortKey) = ")
                sql.appendInterpolation(after.number)
                sql.appendLiteral(" AND p.id > ")
                sql.appendInterpolation(after.id)
                sql.appendLiteral("))")
            case .name:
                sql.appendLiteral(" AND (\(sortKey), p.id) > (")
                sql.appendInterpolation(after.key)
            }
            if order != .similarity {
                sql.appendLiteral(", ")
                sql.appendInterpolation(after.id)
                sql.appendLiteral(")")
            }
        }
        sql.appendLiteral(order == .similarity ? " ORDER BY sort_key DESC, p.id" : " ORDER BY sort_key, p.id")
        sql.appendLiteral(" LIMIT ")
        sql.appendInterpolation(search.limit + 1)

        return try await database.withConnection { connection in
            var found: [(id: UUID, key: String, distance: Double?)] = []
            let rows = try await connection.query(PostgresQuery(stringInterpolation: sql), logger: logger)
            if order == .name {
                for try await (id, key) in rows.decode((UUID, String).self) { found.append((id, key, nil)) }
            } else {
                for try await (id, key) in rows.decode((UUID, Double).self) { found.append((id, "\(key)", order == .distance ? key : nil)) }
            }
            let page = Array(found.prefix(search.limit))
            let providers = try await Self.load(page.map(\.id), on: connection, logger: logger)
            let hits = zip(page, providers).map { ProviderHit(provider: $1, distanceKm: $0.distance) }
            let next = found.count > search.limit ? page.last.map { Cursor.encode([$0.key, $0.id.uuidString]) } : nil
            return Page(items: hits, nextCursor: next)
        }
    }
}
