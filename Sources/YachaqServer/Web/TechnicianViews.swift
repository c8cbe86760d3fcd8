import Foundation

/// The technician's home: the profile as a card, contracts, ratings, staff's reviews with
/// the form to answer each, and the cascade around them.
struct TechnicianHomeView: PageView {
    let provider: ProviderCard
    let contracts: [ContractLine]
    let ratings: [RatingLine]
    let reviews: [ReviewLine]
    let trainers: [LineageLine]
    let trainees: [LineageLine]
}

/// The technician's profile form: each language with its levels and each skill with its
/// level and years, plus an empty row to add one of each.
struct ProfileFormView: PageView {
    struct LanguageRow: PageValues {
        struct Level: PageValues {
            let field: String
            let label: String
            let options: [LevelChoice]
        }
        let index: Int
        let choices: [Choice]
        let levels: [Level]
    }
    struct SkillRow: PageValues {
        let index: Int
        let years: Int
        let choices: [Choice]
        let levels: [LevelChoice]
    }

    let typed: [String: String]
    let errors: [String: String]
    let livesIn: Bool
    let districts: [DistrictChoice]
    let languages: [LanguageRow]
    let skills: [SkillRow]
}

/// A profile as anyone may see it: the card, certificates and the cascade.
struct ProfileView: PageView {
    struct Certificate: PageValues {
        let skill: String
        let issued: String
        let until: String?
        let expired: Bool
    }
    let provider: ProviderCard
    let certifications: [Certificate]
    let trainers: [LineageLine]
    let trainees: [LineageLine]
    let own: Bool
}
