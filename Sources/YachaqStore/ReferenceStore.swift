import PostgresNIO
import YachaqDomain

/// Districts, languages and skills: read-only reference data loaded by the migrations.
public struct ReferenceStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Districts whose district, province or department names contain every word of
    /// `search` (accents and case ignored), optionally within one department, in ubigeo order.
    public func districts(search: String?, department: String?, after cursor: String?, limit: Int) async throws -> Page<District> {
        let after = try Cursor.parts(of: cursor, count: 1) { $0[0].isDigits(count: 6) }
        let patterns = (search ?? "").split(whereSeparator: \.isWhitespace).map { "%\(likeEscaped(String($0)))%" }
        var query = FilteredQuery("SELECT \(Self.districtColumns) FROM districts")
        if !patterns.isEmpty { query.filter("search_text LIKE ALL (SELECT search_key(p) FROM unnest({}::text[]) AS p)", patterns) }
        if let department { query.filter("search_key(department) = search_key({})", department) }
        if let after { query.filter("ubigeo > {}", after[0]) }
        let rows = try await database.query(query.page(orderBy: "ubigeo", limit: limit)).records(District.init)
        let fetched = FetchedPage(rows, limit: limit) { [$0.ubigeo] }
        return fetched.page(fetched.rows)
    }

    public func district(_ ubigeo: Ubigeo) async throws -> District? {
        try await database.query("SELECT \(unescaped: Self.districtColumns) FROM districts WHERE ubigeo = \(ubigeo.code)").records(
            District.init
        ).first
    }

    /// Every district, in ubigeo order (1,891 rows: the map and the place pickers of staff's pages).
    public func allDistricts() async throws -> [District] {
        try await database.query("SELECT \(unescaped: Self.districtColumns) FROM districts ORDER BY ubigeo").records(District.init)
    }

    private static let districtColumns = "ubigeo, department, province, district, capital, latitude, longitude, altitude_m"

    /// All languages: macrolanguages first, then their varieties, each group by code.
    public func languages() async throws -> [Language] {
        try await database.query(
            """
            SELECT code, name_es, name_en, name_qu, macrolanguage, scope, area
            FROM languages
            ORDER BY coalesce(macrolanguage, code), macrolanguage IS NOT NULL, code
            """
        ).records { row in
            Language(
                code: try row.value("code"), nameEs: try row.value("name_es"), nameEn: try row.value("name_en"),
                nameQu: try row.value("name_qu"),
                macrolanguage: try row.value("macrolanguage"), scope: try row.value("scope"), area: try row.value("area"))
        }
    }

    /// All skills, each group followed by its skills.
    public func skills() async throws -> [Skill] {
        try await database.query(
            """
            SELECT code, name_es, name_qu, name_en, parent FROM skills ORDER BY coalesce(parent, code), parent IS NOT NULL, code
            """
        ).records { row in
            Skill(
                code: try row.value("code"), nameEs: try row.value("name_es"), nameQu: try row.value("name_qu"),
                nameEn: try row.value("name_en"),
                parent: try row.value("parent"))
        }
    }
}

extension District {
    init(_ row: NamedColumns) throws {
        self.init(
            ubigeo: try row.value("ubigeo"), department: try row.value("department"), province: try row.value("province"),
            district: try row.value("district"), capital: try row.value("capital"), latitude: try row.value("latitude"),
            longitude: try row.value("longitude"), altitudeM: try row.value("altitude_m")
        )
    }
}

extension ReferenceStore {
    /// Every district, language, skill and skill-group code.
    public func codes() async throws -> ReferenceCodes {
        let rows = try await database.query(
            """
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
