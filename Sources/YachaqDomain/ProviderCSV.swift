/// The column layout of `yachaq import providers` and `yachaq export providers`.
///
/// Languages are compact: `code:speaking/understanding/reading/writing`, `:teach` after
/// them when the provider can teach the language, `;` between languages — e.g.
/// `quz:4/4/2/1:teach;spa:3/4/3/3`. Skills: `code:level/years` — e.g. `water.sprinkler:3/5`.
/// Booleans: true/false (also yes/no, sí/si, 1/0). Empty optional fields are absent.
public enum ProviderCSV {
    public static let columns = [
        "full_name", "kind", "gender", "birth_year", "national_id", "phone", "home_ubigeo", "daily_rate_cents",
        "travel_radius_km", "will_live_in_community", "status", "consent_to_publish", "languages", "skills", "bio",
    ]

    /// Columns a file must have; the others may be left out.
    public static let requiredColumns = ["full_name", "kind", "gender", "home_ubigeo", "daily_rate_cents", "travel_radius_km"]

    /// A file read and checked: the drafts of the good records and the refused ones, each
    /// with the line it starts on.
    public struct Reading: Sendable {
        public var rows: Int
        public var drafts: [(line: Int, draft: ProviderDraft)]
        public var refused: [(line: Int, reason: String)]
    }

    /// Checks the records of a file in this layout (each with the line it starts on, header
    /// first) against `codes`; a DNI met on an earlier line refuses the later one.
    public static func read(_ records: [(line: Int, fields: [String])], codes: ReferenceCodes) -> Reading {
        var records = records
        guard !records.isEmpty else { return Reading(rows: 0, drafts: [], refused: []) }
        let headerFields = records.removeFirst().fields.map { $0.trimmed.lowercased() }
        let missing = requiredColumns.filter { !headerFields.contains($0) }
        guard missing.isEmpty else {
            return Reading(
                rows: records.count, drafts: [], refused: [(1, "the header lacks the columns \(missing.joined(separator: ", "))")])
        }
        let header = Dictionary(headerFields.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var reading = Reading(rows: records.count, drafts: [], refused: [])
        var lineOfDNI: [String: Int] = [:]
        for (line, fields) in records {
            do {
                let draft = try input(fields, header: header).checked(against: codes)
                guard draft.status != .suspended else { throw InvalidInput(field: "status", "must be active or inactive") }
                if let dni = draft.nationalID {
                    if let first = lineOfDNI[dni] { throw InvalidInput(field: "national_id", "DNI \(dni) is also on line \(first)") }
                    lineOfDNI[dni] = line
                }
                reading.drafts.append((line, draft))
            } catch let invalid as InvalidInput {
                reading.refused.append((line, invalid.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")))
            } catch {
                reading.refused.append((line, "\(error)"))
            }
        }
        return reading
    }

    /// A record as an input; errors name the column.
    public static func input(_ fields: [String], header: [String: Int]) throws -> ProviderInput {
        var check = Validator()
        func value(_ column: String) -> String { header[column].flatMap { $0 < fields.count ? fields[$0].trimmed : nil } ?? "" }
        func optional(_ column: String) -> String? { value(column).isEmpty ? nil : value(column) }
        func integer(_ column: String) -> Int? {
            guard let text = optional(column) else { return nil }
            let number = Int(text)
            check(number != nil, column, "must be a whole number")
            return number
        }
        func boolean(_ column: String) -> Bool? {
            guard let text = optional(column)?.lowercased() else { return nil }
            switch text {
            case "true", "yes", "sí", "si", "1": return true
            case "false", "no", "0": return false
            default:
                check(false, column, "must be true or false")
                return nil
            }
        }
        let rate = integer("daily_rate_cents")
        let radius = integer("travel_radius_km")
        check(rate != nil || optional("daily_rate_cents") != nil, "daily_rate_cents", "is required")
        check(radius != nil || optional("travel_radius_km") != nil, "travel_radius_km", "is required")
        let languages = parseLanguages(value("languages"), check: &check)
        let skills = parseSkills(value("skills"), check: &check)
        let input = ProviderInput(
            fullName: value("full_name"), kind: value("kind"), gender: value("gender"), birthYear: integer("birth_year"),
            nationalID: optional("national_id"), phone: optional("phone"), bio: optional("bio"), homeUbigeo: value("home_ubigeo"),
            dailyRateCents: Int64(rate ?? 0), travelRadiusKm: radius ?? 0, willLiveInCommunity: boolean("will_live_in_community"),
            languages: languages, skills: skills, status: optional("status"), consentToPublish: boolean("consent_to_publish")
        )
        try check.finish()
        return input
    }

    /// A provider as a record, in `columns` order.
    public static func record(_ provider: Provider) -> [String] {
        let languages = provider.languages.map { language in
            "\(language.code):\(language.speaking)/\(language.understanding)/\(language.reading)/\(language.writing)"
                + (language.canTeach ? ":teach" : "")
        }
        return [
            provider.fullName, provider.kind.rawValue, provider.gender.rawValue, provider.birthYear.map(String.init) ?? "",
            provider.nationalID ?? "", provider.phone ?? "", provider.homeUbigeo, String(provider.dailyRateCents),
            String(provider.travelRadiusKm), String(provider.willLiveInCommunity), provider.status.rawValue,
            String(provider.consentToPublish), languages.joined(separator: ";"),
            provider.skills.map { "\($0.code):\($0.level)/\($0.years)" }.joined(separator: ";"), provider.bio ?? "",
        ]
    }

    static func parseLanguages(_ text: String, check: inout Validator) -> [ProviderLanguage] {
        items(text).compactMap { item in
            let parts = item.split(separator: ":").map(String.init)
            let levels = parts.count >= 2 ? parts[1].split(separator: "/").compactMap { Int($0) } : []
            guard parts.count >= 2, parts.count <= 3, levels.count == 4, parts.count == 2 || parts[2] == "teach" else {
                check(false, "languages", "\(item) is not code:speaking/understanding/reading/writing[:teach]")
                return nil
            }
            return ProviderLanguage(
                code: parts[0], speaking: levels[0], understanding: levels[1], reading: levels[2], writing: levels[3],
                canTeach: parts.count == 3)
        }
    }

    static func parseSkills(_ text: String, check: inout Validator) -> [ProviderSkill] {
        items(text).compactMap { item in
            let parts = item.split(separator: ":").map(String.init)
            let numbers = parts.count == 2 ? parts[1].split(separator: "/").compactMap { Int($0) } : []
            guard numbers.count == 2 else {
                check(false, "skills", "\(item) is not code:level/years")
                return nil
            }
            return ProviderSkill(code: parts[0], level: numbers[0], years: numbers[1])
        }
    }

    private static func items(_ text: String) -> [String] {
        text.split(separator: ";").map { String($0).trimmed }.filter { !$0.isEmpty }
    }
}
