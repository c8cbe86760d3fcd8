import Foundation

/// One provider's scorecard figures as one row of `GET /v1/reports/providers.csv`: what a
/// spreadsheet needs to sort and filter the registry (money in céntimos and in soles).
public struct ProviderFigures: Sendable {
    public var providerID: UUID
    public var fullName: String
    public var kind: String
    public var gender: String
    public var status: String
    public var homeUbigeo: String
    public var department: String
    public var province: String
    public var district: String
    public var contractsSigned: Int
    public var contractsCompleted: Int
    public var contractsTerminated: Int
    public var ratings: RatingSummary
    public var buyers: Int
    public var repeatBuyers: Int
    public var amountContractedCents: Int64
    public var amountPaidCents: Int64
    public var daysWorked: Int
    public var familiesServed: Int
    public var trainees: Int
    public var certifications: Int
    public var certificationsExpired: Int
    /// The start of their latest contract signed at least.
    public var lastContractOn: String?

    public init(
        providerID: UUID, fullName: String, kind: String, gender: String, status: String, homeUbigeo: String, department: String,
        province: String, district: String, contractsSigned: Int, contractsCompleted: Int, contractsTerminated: Int,
        ratings: RatingSummary, buyers: Int, repeatBuyers: Int, amountContractedCents: Int64, amountPaidCents: Int64, daysWorked: Int,
        familiesServed: Int, trainees: Int, certifications: Int, certificationsExpired: Int, lastContractOn: String?
    ) {
        self.providerID = providerID
        self.fullName = fullName
        self.kind = kind
        self.gender = gender
        self.status = status
        self.homeUbigeo = homeUbigeo
        self.department = department
        self.province = province
        self.district = district
        self.contractsSigned = contractsSigned
        self.contractsCompleted = contractsCompleted
        self.contractsTerminated = contractsTerminated
        self.ratings = ratings
        self.buyers = buyers
        self.repeatBuyers = repeatBuyers
        self.amountContractedCents = amountContractedCents
        self.amountPaidCents = amountPaidCents
        self.daysWorked = daysWorked
        self.familiesServed = familiesServed
        self.trainees = trainees
        self.certifications = certifications
        self.certificationsExpired = certificationsExpired
        self.lastContractOn = lastContractOn
    }

    public static let columns = [
        "provider_id", "full_name", "kind", "gender", "status", "home_ubigeo", "department", "province", "district", "contracts_signed",
        "contracts_completed", "contracts_terminated", "completion_rate", "ratings", "average_rating", "score", "would_hire_again_share",
        "buyers", "repeat_hire_rate", "amount_contracted_cents", "amount_contracted_soles", "amount_paid_cents", "amount_paid_soles",
        "days_worked", "families_served", "trainees", "certifications", "certifications_expired", "last_contract_on",
    ]

    /// The row, in `columns` order; an absent figure (a rate of nothing) is an empty field.
    public var record: [String] {
        func share(_ part: Int, of whole: Int) -> String { whole == 0 ? "" : String((Double(part) / Double(whole)).rounded(toPlaces: 2)) }
        let ended = contractsCompleted + contractsTerminated
        return [
            providerID.uuidString.lowercased(), fullName, kind, gender, status, homeUbigeo, department, province, district,
            String(contractsSigned), String(contractsCompleted), String(contractsTerminated), share(contractsCompleted, of: ended),
            String(ratings.count), ratings.average.map { String($0) } ?? "", String(ratings.score),
            ratings.wouldHireAgainShare.map { String($0) } ?? "", String(buyers), share(repeatBuyers, of: buyers),
            String(amountContractedCents), Self.soles(amountContractedCents), String(amountPaidCents), Self.soles(amountPaidCents),
            String(daysWorked), String(familiesServed), String(trainees), String(certifications), String(certificationsExpired),
            lastContractOn ?? "",
        ]
    }

    /// Céntimos as soles with two decimals: 123456 → "1234.56" (a point, as spreadsheets read CSV numbers).
    static func soles(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
