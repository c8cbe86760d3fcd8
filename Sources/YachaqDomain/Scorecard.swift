import Foundation

/// What staff read to review a provider (`GET /v1/reports/providers/{id}`); a review keeps the
/// scorecard it was based on. "Ended" contracts are completed or terminated; "contracted" ones
/// were signed at least (signed, active, completed or terminated).
public struct ProviderScorecard: Sendable, Codable, Equatable {
    public struct ContractCounts: Sendable, Codable, Equatable {
        public var draft = 0, signed = 0, active = 0, completed = 0, terminated = 0, cancelled = 0

        public init() {}
    }

    public struct Termination: Sendable, Codable, Equatable {
        public var contractID: UUID
        public var reason: String?
        public var at: Date

        public init(contractID: UUID, reason: String?, at: Date) {
            self.contractID = contractID
            self.reason = reason
            self.at = at
        }
    }

    public struct RatingsInYear: Sendable, Codable, Equatable {
        public var year: Int
        public var count: Int
        public var average: Double

        public init(year: Int, count: Int, average: Double) {
            self.year = year
            self.count = count
            self.average = average.rounded(toPlaces: 1)
        }
    }

    public struct DistrictServed: Sendable, Codable, Equatable {
        public var ubigeo: String
        public var district: String
        public var contracts: Int

        public init(ubigeo: String, district: String, contracts: Int) {
            self.ubigeo = ubigeo
            self.district = district
            self.contracts = contracts
        }
    }

    public struct CertificationStanding: Sendable, Codable, Equatable {
        public var skill: String
        public var issuedOn: String
        public var validUntil: String?
        public var expired: Bool

        public init(skill: String, issuedOn: String, validUntil: String?, expired: Bool) {
            self.skill = skill
            self.issuedOn = issuedOn
            self.validUntil = validUntil
            self.expired = expired
        }
    }

    public var providerID: UUID
    public var fullName: String
    public var status: ProviderStatus
    public var contracts: ContractCounts
    /// completed ÷ ended; absent before any contract ended.
    public var completionRate: Double?
    public var terminations: [Termination]
    public var ratings: RatingSummary
    public var ratingsByYear: [RatingsInYear]
    /// Organisations that contracted them at all, and the share of those that did so twice or more.
    public var buyers: Int
    public var repeatHireRate: Double?
    public var amountContractedCents: Int64
    public var amountPaidCents: Int64
    /// Days of completed contracts.
    public var daysWorked: Int
    /// Families of completed contracts (those that said).
    public var familiesServed: Int
    public var districtsServed: [DistrictServed]
    /// Trained by them directly, and in their whole cascade.
    public var trainees: Int
    public var traineesInCascade: Int
    public var certifications: [CertificationStanding]

    public init(
        providerID: UUID, fullName: String, status: ProviderStatus, contracts: ContractCounts, terminations: [Termination],
        ratings: RatingSummary, ratingsByYear: [RatingsInYear], buyers: Int, repeatBuyers: Int, amountContractedCents: Int64,
        amountPaidCents: Int64, daysWorked: Int, familiesServed: Int, districtsServed: [DistrictServed], trainees: Int,
        traineesInCascade: Int, certifications: [CertificationStanding]
    ) {
        self.providerID = providerID
        self.fullName = fullName
        self.status = status
        self.contracts = contracts
        let ended = contracts.completed + contracts.terminated
        completionRate = ended == 0 ? nil : (Double(contracts.completed) / Double(ended)).rounded(toPlaces: 2)
        self.terminations = terminations
        self.ratings = ratings
        self.ratingsByYear = ratingsByYear
        self.buyers = buyers
        repeatHireRate = buyers == 0 ? nil : (Double(repeatBuyers) / Double(buyers)).rounded(toPlaces: 2)
        self.amountContractedCents = amountContractedCents
        self.amountPaidCents = amountPaidCents
        self.daysWorked = daysWorked
        self.familiesServed = familiesServed
        self.districtsServed = districtsServed
        self.trainees = trainees
        self.traineesInCascade = traineesInCascade
        self.certifications = certifications
    }
}
