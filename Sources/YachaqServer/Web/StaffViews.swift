import Foundation

/// The providers the review flags, each with why.
struct NeedsLookView: PageView {
    struct Flagged: PageValues {
        struct Flag: PageValues {
            let why: String
            let detail: String
        }
        let id: String
        let name: String
        let status: String
        let flags: [Flag]
    }
    let providers: [Flagged]
    let next: String?
}

/// Staff's directory: every filter as a form with what was chosen, and a page of rows.
struct DirectoryView: PageView {
    struct Row: PageValues {
        let id: String
        let name: String
        let kind: String
        let place: String
        let status: String
        let languages: String
        let certified: Bool
    }
    let providers: [Row]
    let next: String?
    let departments: [Choice]
    let provinces: [Choice]
    let districts: [Choice]
    let kinds: [Choice]
    let genders: [Choice]
    let statuses: [Choice]
    let skills: [Choice]
    let spoken: [Choice]
    let levels: [LevelChoice]
    let certified: [Choice]
    let newest: Bool
    let count: Int
}

/// A technician's scorecard: figures and charts, contracts and payments, the cascade,
/// reviews, and the form to record one.
struct ScorecardView: PageView {
    struct Payment: PageValues {
        let on: String
        let contract: String
        let amount: String
        let line: String
    }
    let id: String
    let provider: ProviderCard
    let errors: [String: String]
    let typed: [String: String]
    let figures: [Figure]
    let charts: [ChartView]
    let contracts: [ContractLine]
    let payments: [Payment]
    let trainers: [LineageLine]
    let trainees: [LineageLine]
    let reviews: [ReviewLine]
    let decisions: [Choice]
}

/// The indicators of a place and period: figures with their definitions, and charts.
struct IndicatorsView: PageView {
    let place: String
    let departments: [Choice]
    let provinces: [Choice]
    let from: String
    let to: String
    let asOf: String
    let csv: String
    let map: String
    let figures: [Figure]
    let charts: [ChartView]
}

/// The map of Peru or a department, and the districts with most.
struct MapView: PageView {
    struct Place: PageValues {
        let name: String
        let count: Int
    }
    let svg: String
    let subjects: [Choice]
    let departments: [Choice]
    let top: [Place]
}
