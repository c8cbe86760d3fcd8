import Testing
import YachaqDomain

@Suite struct MatchingTests {
    @Test func weightsCoverEveryFactorAndAddUpToOne() {
        #expect(Set(MatchWeights.standard.keys) == Set(MatchFactor.allCases))
        #expect(abs(MatchWeights.standard.values.reduce(0, +) - 1) < 1e-12)
        #expect(MatchWeights.standard.values.allSatisfy { $0 > 0 })
    }

    /// One 5-star rating does not outrank twenty ratings of 4.6.
    @Test func theBayesianAverageTrustsManyRatingsOverOne() {
        let once = RatingPrior.bayesianAverage(sum: 5, count: 1)
        let often = RatingPrior.bayesianAverage(sum: 4.6 * 20, count: 20)
        #expect(often > once)
        #expect(RatingPrior.bayesianAverage(sum: 0, count: 0) == RatingPrior.mean)
        #expect(abs(RatingPrior.bayesianAverage(sum: 4.6 * 10_000, count: 10_000) - 4.6) < 0.01)
    }

    static func facts(_ values: [MatchFactor: Double]) -> MatchFacts {
        MatchFacts(
            values: values, coveredSkills: ["water.sprinkler"], missingSkills: [], bestLanguage: "quz", bestSpeaking: 4, exactVariety: true,
            distanceKm: 12, ratingCount: 0, ratingAverage: RatingPrior.mean, completedContracts: 0, costCents: 500_000,
            budgetCents: 900_000,
            mustLiveInCommunity: true, willLiveInCommunity: true, preferredGender: nil, gender: .female)
    }

    @Test func reasonsAddUpToTheScore() {
        let values: [MatchFactor: Double] = [
            .skills: 0.75, .language: 1, .distance: 0.92, .rating: 0.625, .experience: 0.4, .cost: 1, .liveIn: 1, .gender: 1,
        ]
        let (score, reasons) = MatchExplanation.explain(Self.facts(values))
        #expect(reasons.map(\.factor) == MatchFactor.allCases)
        #expect(abs(reasons.reduce(0) { $0 + $1.points } - score) < 1e-9)
        #expect(abs(score - 100 * MatchFactor.allCases.reduce(0) { $0 + values[$1]! * MatchWeights.standard[$1]! }) < 1e-9)
        #expect(reasons.allSatisfy { !$0.code.isEmpty && $0.note == nil })
    }

    @Test func perfectValuesScoreAHundred() {
        let (score, _) = MatchExplanation.explain(Self.facts(Dictionary(uniqueKeysWithValues: MatchFactor.allCases.map { ($0, 1.0) })))
        #expect(abs(score - 100) < 1e-9)
    }

    /// The domain says which sentence and with which figures; the reader's language writes it.
    @Test func reasonsCarryACodeAndTheirFigures() {
        var facts = Self.facts([.skills: 0.5])
        facts.exactVariety = false
        facts.bestLanguage = "quy"
        facts.missingSkills = ["water.canals"]
        let reasons = Dictionary(uniqueKeysWithValues: MatchExplanation.explain(facts).reasons.map { ($0.factor, $0) })
        #expect(reasons[.language]?.code == "language_variety" && reasons[.language]?.params == ["language": "quy", "level": "4"])
        #expect(reasons[.skills]?.code == "skills_some")
        #expect(reasons[.skills]?.params == ["skills": "water.sprinkler", "missing": "water.canals", "level": "2.0"])
        #expect(reasons[.cost]?.code == "cost_fits" && reasons[.cost]?.params == ["cost": "500000", "budget": "900000"])
        #expect(reasons[.rating]?.code == "rating_none" && reasons[.rating]?.params == ["prior": "3.5"])
        facts.coveredSkills = []
        facts.preferredGender = .female
        facts.gender = .male
        let others = Dictionary(uniqueKeysWithValues: MatchExplanation.explain(facts).reasons.map { ($0.factor, $0.code) })
        #expect(others[.skills] == "skills_none" && others[.gender] == "gender_other_female")
    }

    @Test(arguments: [
        (JobApplicationStatus.applied, JobApplicationStatus.shortlisted, true), (.shortlisted, .interviewed, true),
        (.interviewed, .selected, true),
        (.applied, .selected, true), (.interviewed, .rejected, true), (.selected, .withdrawn, true),
        (.rejected, .selected, false), (.withdrawn, .shortlisted, false), (.selected, .rejected, false),
        (.interviewed, .shortlisted, false),
        (.selected, .selected, false),
    ])
    func applicationsMoveForwardOnly(from: JobApplicationStatus, to: JobApplicationStatus, allowed: Bool) {
        #expect(from.canMove(to: to) == allowed)
    }

    @Test func anInterviewNeedsItsRecordAndARejectionItsReason() throws {
        #expect(throws: InvalidInput.self) { try JobApplicationChange(status: "interviewed").checked(against: .fixture) }
        #expect(throws: InvalidInput.self) { try JobApplicationChange(status: "rejected").checked(against: .fixture) }
        #expect(throws: InvalidInput.self) { try JobApplicationChange(status: "applied").checked(against: .fixture) }
        #expect(
            try JobApplicationChange(
                status: "interviewed",
                interview: Interview(heldOn: "2027-02-10", panel: "Presidente, secretaria, 3 comuneros", notes: "Habla quechua de la zona")
            ).checked(against: .fixture).status == .interviewed)
    }

    @Test(arguments: [
        (
            NewServiceRequest(
                title: "Riego", skills: [], languages: ["quz"], ubigeo: "081206", startsOn: "2027-03-01", endsOn: "2027-05-31",
                budgetCents: 1), "skills"
        ),
        (
            NewServiceRequest(
                title: "Riego", skills: ["water"], languages: [], ubigeo: "081206", startsOn: "2027-03-01", endsOn: "2027-05-31",
                budgetCents: 1), "languages"
        ),
        (
            NewServiceRequest(
                title: "Riego", skills: ["water"], languages: ["quz"], ubigeo: "081206", startsOn: "2027-05-01", endsOn: "2027-03-31",
                budgetCents: 1), "ends_on"
        ),
        (
            NewServiceRequest(
                title: "Riego", skills: ["water"], languages: ["quz"], ubigeo: "081206", startsOn: "2027-02-30", endsOn: "2027-03-31",
                budgetCents: 1), "starts_on"
        ),
        (
            NewServiceRequest(
                title: "Riego", skills: ["water"], languages: ["quz"], ubigeo: "081206", startsOn: "2027-03-01", endsOn: "2027-03-31",
                budgetCents: -1), "budget_cents"
        ),
        (
            NewServiceRequest(
                title: "Riego", skills: ["water"], languages: ["quz"], ubigeo: "081206", startsOn: "2027-03-01", endsOn: "2027-03-31",
                budgetCents: 1, preferredGender: "other"), "preferred_gender"
        ),
    ])
    func badRequestsNameTheField(_ request: NewServiceRequest, field: String) {
        #expect {
            try request.checked(against: .fixture)
        } throws: { error in
            (error as? InvalidInput)?.errors.map(\.field) == [field]
        }
    }
}
