import PostgresNIO
import YachaqDomain

/// Districts, languages and skills: read-only reference data loaded by the migrations.
public struct ReferenceStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Districts whose district, province or department names contain every word of
    /// `search` (accents and case ignored), optionally within one department, in ubigeo
    /// order after `cursor`. Asks for one row more than `limit` to know whether a next page exists.
    public func districts(search: String?, department: String?, after cursor: String?, limit: Int) async throws -> Page<District> {
        let patterns = (search ?? "").split(whereSeparator: \.isWhitespace).map { "%\(likeEscaped(String($0)))%" }
        let rows = try await database.query("""
            SELECT ubigeo, department, province, district, capital, latitude, longitude, altitude_m
            FROM districts
            WHERE search_text LIKE ALL (SELECT search_key(p) FROM unnest(\(patterns)::text[]) AS p)
              AND (\(department)::text IS NULL OR search_key(department) = search_key(\(department)::text))
              AND (\(cursor)::text IS NULL OR ubigeo > \(cursor)::text)
            ORDER BY ubigeo
            LIMIT \(limit + 1)
            """)
        var items: [District] = []
        for try await row in rows.decode((String, String, String, String, String, Double, Double, Double).self) {
            items.append(District(ubigeo: row.0, department: row.1, province: row.2, district: row.3, capital: row.4, latitude: row.5, longitude: row.6, altitudeM: row.7))
        }
        return Page(fetched: items, limit: limit, item: { $0 }, cursor: \.ubigeo)
    }

    public func district(_ ubigeo: Ubigeo) async throws -> District? {
        let rows = try await database.query("""
            SELECT ubigeo, department, province, district, capital, latitude, longitude, altitude_m
            FROM districts WHERE ubigeo = \(ubigeo.code)
            """)
        for try await row in rows.decode((String, String, String, String, String, Double, Double, Double).self) {
            return District(ubigeo: row.0, department: row.1, province: row.2, district: row.3, capital: row.4, latitude: row.5, longitude: row.6, altitudeM: row.7)
        }
        return nil
    }

    /// All languages: macrolanguages first, then their varieties, each group by code.
    public func languages() async throws -> [Language] {
        let rows = try await database.query("""
            SELECT code, name_es, name_en, name_qu, macrolanguage, scope, area
            FROM languages
            ORDER BY coalesce(macrolanguage, code), macrolanguage IS NOT NULL, code
            """)
        var languages: [Language] = []
        for try await row in rows.decode((String, String, String, String?, String?, String, String).self) {
            languages.append(Language(code: row.0, nameEs: row.1, nameEn: row.2, nameQu: row.3, macrolanguage: row.4, scope: row.5, area: row.6))
        }
        return languages
    }

    /// All skills, each group followed by its skills.
    public func skills() async throws -> [Skill] {
        let rows = try await database.query("""
            SELECT code, name_es, name_qu, name_en, parent FROM skills ORDER BY coalesce(parent, code), parent IS NOT NULL, code
            """)
        var skills: [Skill] = []
        for try await row in rows.decode((String, String, String, String, String?).self) {
            skills.append(Skill(code: row.0, nameEs: row.1, nameQu: row.2, nameEn: row.3, parent: row.4))
        }
        return skills
    }
}

extension ReferenceStore {
    /// Every district, language, skill and skill-group code.
    public func codes() async throws -> ReferenceCodes {
        let rows = try await database.query("""
            SELECT 'district', ubigeo FROM districts
            UNION ALL SELECT 'language', code FROM languages
            UNION ALL SELECT CASE WHEN parent IS NULL THEN 'group' ELSE 'skill' END, code FROM skills
            """)
        var codes = ReferenceCodes(ubigeos: [], languages: [], skills: [], skillGroups: [])
        for try await (table, code) in rows.decode((String, String).self) {
            switch table {
            case "district": codes.ubigeos.insert(code)
            case "language": codes.languages.insert(code)
            case "group": codes.skillGroups.insert(code)
            default: codes.skills.insert(code)
            }
        }
        return codes
    }
}

/// Loads the reference codes once per process, on first use.
public actor ReferenceCodesCache {
    private let store: ReferenceStore
    private var codes: ReferenceCodes?

    public init(store: ReferenceStore) {
        self.store = store
    }

    public func get() async throws -> ReferenceCodes {
        if let codes { return codes }
        let loaded = try await store.codes()
        codes = loaded
        return loaded
    }
}
