import Foundation
import YachaqDomain

/// Districts, languages and skills as one immutable value, read once before the service
/// starts: only a migration changes them, and the service migrates only when it starts. Every
/// check of a code and every name on a page reads it without a query.
public struct ReferenceData: Sendable {
    /// All 1,891 districts, in ubigeo order.
    public let districts: [District]
    /// Macrolanguages first, then their varieties, each group by code (`GET /v1/languages`).
    public let languages: [Language]
    /// Each group followed by its skills (`GET /v1/skills`).
    public let skills: [Skill]
    public let codes: ReferenceCodes
    private let districtsByUbigeo: [String: District]
    private let languagesByCode: [String: Language]
    private let skillsByCode: [String: Skill]

    public init(districts: [District], languages: [Language], skills: [Skill]) {
        self.districts = districts
        self.languages = languages
        self.skills = skills
        districtsByUbigeo = Dictionary(districts.map { ($0.ubigeo, $0) }, uniquingKeysWith: { first, _ in first })
        languagesByCode = Dictionary(languages.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        skillsByCode = Dictionary(skills.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        codes = ReferenceCodes(
            ubigeos: Set(districtsByUbigeo.keys), languages: Set(languagesByCode.keys),
            skills: Set(skills.filter { $0.parent != nil }.map(\.code)), skillGroups: Set(skills.filter { $0.parent == nil }.map(\.code)))
    }

    public func district(_ ubigeo: Ubigeo) -> District? { districtsByUbigeo[ubigeo.code] }
    public func language(_ code: String) -> Language? { languagesByCode[code] }
    public func skill(_ code: String) -> Skill? { skillsByCode[code] }

    /// Reads the three tables of a migrated database in one statement (blocking: it runs
    /// once, before the service listens).
    public static func load(_ endpoint: DatabaseEndpoint) throws -> ReferenceData {
        let rows = try LibPQConnection(endpoint).execute(
            """
            SELECT json_build_object(
              'districts', (SELECT json_agg(d ORDER BY ubigeo) FROM (
                  SELECT ubigeo, department, province, district, capital, latitude, longitude, altitude_m FROM districts) d),
              'languages', (SELECT json_agg(l ORDER BY coalesce(macrolanguage, code), macrolanguage IS NOT NULL, code) FROM (
                  SELECT code, name_es, name_en, name_qu, macrolanguage, scope, area FROM languages) l),
              'skills', (SELECT json_agg(s ORDER BY coalesce(parent, code), parent IS NOT NULL, code) FROM (
                  SELECT code, name_es, name_qu, name_en, parent FROM skills) s))::text
            """)
        guard let text = rows.first?.first ?? nil else { throw LibPQError(message: "the reference tables returned nothing") }
        struct Tables: Decodable {
            let districts: [District]?
            let languages: [Language]?
            let skills: [Skill]?
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let tables = try decoder.decode(Tables.self, from: Data(text.utf8))
        return ReferenceData(districts: tables.districts ?? [], languages: tables.languages ?? [], skills: tables.skills ?? [])
    }
}
