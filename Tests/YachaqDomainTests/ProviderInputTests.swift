import Testing
import YachaqDomain

@Suite struct ProviderInputTests {
    static let good = ProviderInput(
        fullName: "Rosa Quispe", kind: "yachachiq", gender: "female", homeUbigeo: "080101", dailyRateCents: 8000, travelRadiusKm: 50)

    @Test func acceptsAGoodProfileWithDefaults() throws {
        let draft = try Self.good.checked(against: .fixture)
        #expect(draft.status == .active && !draft.consentToPublish && !draft.willLiveInCommunity)
    }

    /// The good profile with one field made bad, by the field's name.
    static func broken(_ field: String) -> ProviderInput {
        var input = good
        switch field {
        case "national_id": input.nationalID = "1234567"
        case "daily_rate_cents": input.dailyRateCents = -1
        case "home_ubigeo": input.homeUbigeo = "08010"
        case "kind": input.kind = "ingeniero"
        case "languages[0].speaking":
            input.languages = [ProviderLanguage(code: "quz", speaking: 5, understanding: 4, reading: 1, writing: 1)]
        case "skills[0].level": input.skills = [ProviderSkill(code: "water.sprinkler", level: 0, years: 1)]
        case "phone": input.phone = "abc"
        default: Issue.record("no way to break \(field)")
        }
        return input
    }

    @Test(arguments: ["national_id", "daily_rate_cents", "home_ubigeo", "kind", "languages[0].speaking", "skills[0].level", "phone"])
    func namesTheBadField(_ field: String) {
        #expect {
            try Self.broken(field).checked(against: .fixture)
        } throws: { error in
            (error as? InvalidInput)?.errors.map(\.field) == [field]
        }
    }

    @Test func referenceCodesNameUnknownOnes() throws {
        var input = Self.good
        input.languages = [ProviderLanguage(code: "xxx", speaking: 3, understanding: 3, reading: 3, writing: 3)]
        input.skills = [ProviderSkill(code: "water", level: 2, years: 1)]
        let codes = ReferenceCodes(ubigeos: ["080101"], languages: ["quz"], skills: ["water.sprinkler"])
        #expect {
            try input.checked(against: codes)
        } throws: { error in
            (error as? InvalidInput)?.errors.map(\.field) == ["languages[0].code", "skills[0].code"]
        }
    }

    @Test func compactLanguagesAndSkillsParse() throws {
        let header = Dictionary(uniqueKeysWithValues: ProviderCSV.columns.enumerated().map { ($1, $0) })
        var fields = Array(repeating: "", count: ProviderCSV.columns.count)
        for (column, value) in [
            ("full_name", "Rosa"), ("kind", "yachachiq"), ("gender", "female"), ("home_ubigeo", "080101"), ("daily_rate_cents", "8000"),
            ("travel_radius_km", "50"), ("languages", "quz:4/4/2/1:teach;spa:3/4/3/3"), ("skills", "water.sprinkler:3/5"),
        ] {
            fields[header[column]!] = value
        }
        let input = try ProviderCSV.input(fields, header: header)
        #expect(
            input.languages == [
                ProviderLanguage(code: "quz", speaking: 4, understanding: 4, reading: 2, writing: 1, canTeach: true),
                ProviderLanguage(code: "spa", speaking: 3, understanding: 4, reading: 3, writing: 3),
            ])
        #expect(input.skills == [ProviderSkill(code: "water.sprinkler", level: 3, years: 5)])
        fields[header["languages"]!] = "quz:4/4"
        #expect(throws: InvalidInput.self) { try ProviderCSV.input(fields, header: header) }
    }
}
