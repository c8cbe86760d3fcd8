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

    private static let districtColumns = "ubigeo, department, province, district, capital, latitude, longitude, altitude_m"
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
    /// Every district, language, skill and skill-group code, for the commands that import and
    /// seed (the service reads them once, with the names, as `ReferenceData`).
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
