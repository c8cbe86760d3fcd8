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
    /// A department (2 digits of a ubigeo), province (4) or district (6): where they live.
    public var place: String?
    /// true: with a certificate still valid; false: without one.
    public var certified: Bool?
    /// Newest registered first instead of by name (ignored near a place or for a text search).
    public var newestFirst = false
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
        try container.encodeIfPresent(distanceKm?.rounded(toPlaces: 1), forKey: .distanceKm)
    }

    private enum CodingKeys: String, CodingKey { case distanceKm }
}

extension ProviderStore {
    /// The search, written for the planner: only the filters asked for appear in the SQL
    /// (a generic `(x IS NULL OR ...)` plan would use no index), each with its index:
    /// - `near`/`radius_km`: `earth_box(...) @> home_point` is a GiST range scan on
    ///   `providers_home_point`; `great_circle_km` then trims the box's corners exactly.
    /// - `q`: `search_key(q) <% name_key` (word similarity) uses the trigram GIN index
    ///   `providers_name_trgm`, so "quispe mamany" finds "Quispe Mamani".
    /// - `skill`: `provider_skills_by_skill` (skill_code text_pattern_ops) serves both the
    ///   exact code and a group's `code.%` prefix; `language`: `provider_languages_by_language`
    ///   (language_code, speaking) with the varieties of a macrolanguage from `languages`.
    ///   Both are semi-joins the planner can drive from the index or probe per provider
    ///   through the primary keys (provider_id, ...), whichever is more selective.
    /// - `kind`/`gender` on active providers: `providers_kind_gender`; no filter at all:
    ///   `providers_name_order` walks names in order and stops at the page size; newest
    ///   first: `providers_newest` (created_at, id), walked backwards the same way.
    /// Pages are keyset cursors on the sort key and id, never OFFSET.
    /// The newest-first key a cursor may carry at most: 2200-01-01 in microseconds since 1970.
    static let largestNewestKey = 7_258_118_400_000_000.0

    public func search(_ search: ProviderSearch) async throws -> Page<ProviderHit> {
        enum Order { case distance, similarity, name, newest }
        let order: Order = search.near != nil ? .distance : search.text != nil ? .similarity : search.newestFirst ? .newest : .name
        // The sort key of the last row: a name, or a finite distance, similarity or registration time.
        let largest = order == .newest ? Self.largestNewestKey : 100_000_000_000
        let after = try Cursor.parts(of: search.cursor, count: 2) { parts in
            UUID(uuidString: parts[1]) != nil
                && (order == .name || Double(parts[0]).map { $0.isFinite && abs($0) <= largest } == true)
        }
        // The sort key, with the origin or the text bound wherever it appears.
        let sortKey: (sql: String, values: [any PostgresDynamicTypeEncodable]) =
            switch (search.near, search.text) {
            // great_circle_km is earth_distance's formula, inlined: earth_distance is a STRICT
            // function PostgreSQL calls per row (a 50 km search: 14 ms against 7.5 ms).
            case (let near?, _): ("great_circle_km(p.home_point, ll_to_earth({}, {}))", [near.latitude, near.longitude])
            case (nil, let text?): ("word_similarity(search_key({}), p.name_key)::float8", [text])
            // Microseconds since 1970, exact in a double (below 2^53) so that a cursor can
            // land between providers registered in the same transaction.
            case (nil, nil): search.newestFirst ? ("(extract(epoch FROM p.created_at) * 1000000)::float8", []) : ("p.name_key", [])
            }
        var query = FilteredQuery("SELECT p.id, \(sortKey.sql) AS sort_key FROM providers p", sortKey.values)
        if let status = search.status { query.filter("p.status = {}", status.rawValue) }
        if !search.includeUnpublished { query.filter("p.consent_to_publish") }
        if let kind = search.kind { query.filter("p.kind = {}", kind.rawValue) }
        if let gender = search.gender { query.filter("p.gender = {}", gender.rawValue) }
        if let place = search.place { query.filter("p.home_ubigeo LIKE {}", likeEscaped(place) + "%") }
        if let certified = search.certified {
            query.filter(
                "\(certified ? "" : "NOT ")EXISTS (SELECT 1 FROM certifications c WHERE c.provider_id = p.id "
                    + "AND (c.valid_until IS NULL OR c.valid_until >= current_date))")
        }
        if let near = search.near, search.skill != nil || search.language != nil {
            // The box and the keys ANDed in provider_search's two indexes (SQL/0019), before
            // any talent's row is read.
            let keys = [search.skill.map { "skill:\($0)" }, search.language.map { "lang:\($0):\(search.minSpeaking)" }].compactMap { $0 }
            query.filter(
                "p.id IN (SELECT provider_id FROM provider_search WHERE keys @> {} AND earth_box(ll_to_earth({}, {}), {}) @> home_point)",
                keys, near.latitude, near.longitude, search.radiusKm * 1000)
        } else {
            if let skill = search.skill {
                query.filter(
                    "EXISTS (SELECT 1 FROM provider_skills s WHERE s.provider_id = p.id AND (s.skill_code = {} OR s.skill_code LIKE {}))",
                    skill, likeEscaped(skill) + ".%")
            }
            if let language = search.language {
                query.filter(
                    """
                    EXISTS (SELECT 1 FROM provider_languages l WHERE l.provider_id = p.id AND l.speaking >= {}
                            AND l.language_code IN (SELECT code FROM languages WHERE code = {} OR macrolanguage = {}))
                    """, search.minSpeaking, language, language)
            }
            if let near = search.near {
                query.filter("earth_box(ll_to_earth({}, {}), {}) @> p.home_point", near.latitude, near.longitude, search.radiusKm * 1000)
            }
        }
        if let near = search.near {
            query.filter("great_circle_km(p.home_point, ll_to_earth({}, {})) <= {}", near.latitude, near.longitude, search.radiusKm)
        }
        if let text = search.text { query.filter("search_key({}) <% p.name_key", text) }
        if let after, let id = UUID(uuidString: after[1]) {
            switch order {
            case .distance:
                query.filter("(\(sortKey.sql), p.id) > ({}, {})", sortKey.values + [Double(after[0]) ?? 0, id])
            case .newest:
                // On `created_at` itself, as `providers_newest` orders it (`NewestFirst`'s keyset).
                query.filter("(p.created_at, p.id) < ('epoch'::timestamptz + {} * interval '1 microsecond', {})", Double(after[0]) ?? 0, id)
            case .similarity:
                // Best match first: the next page has a lower key, or the same key and a later id.
                let score = Double(after[0]) ?? 0
                query.filter(
                    "\(sortKey.sql) < {} OR (\(sortKey.sql) = {} AND p.id > {})", sortKey.values + [score] + sortKey.values + [score, id])
            case .name:
                query.filter("(p.name_key, p.id) > ({}, {})", after[0], id)
            }
        }
        return try await database.reading { connection in
            let rows = try await connection.run(
                query.page(
                    orderBy: order == .similarity
                        ? "sort_key DESC, p.id" : order == .newest ? "p.created_at DESC, p.id DESC" : "sort_key, p.id",
                    limit: search.limit),
                logger: logger
            ).records { row in
                let id: UUID = try row.value("id")
                if order == .name { return (id: id, key: try row.value("sort_key", as: String.self), distance: Double?.none) }
                let key: Double = try row.value("sort_key")
                return (id: id, key: "\(key)", distance: order == .distance ? key : nil)
            }
            let fetched = FetchedPage(rows, limit: search.limit) { [$0.key, $0.id.lowercased] }
            let providers = try await Self.load(fetched.rows.map(\.id), on: connection, logger: logger)
            return fetched.page(
                try fetched.rows.map { row in
                    guard let provider = providers[row.id] else { throw MissingRecord(entity: "provider", id: row.id) }
                    return ProviderHit(provider: provider, distanceKm: row.distance)
                })
        }
    }
}
