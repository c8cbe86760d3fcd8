import Foundation

/// Where and when the indicators look: a department, province or district (names as the
/// districts list writes them, accents and case forgiven; a district also by ubigeo), and a
/// period. Nil everywhere: the whole country, all time.
public struct IndicatorScope: Sendable, Codable, Equatable {
    public var department: String?
    public var province: String?
    public var district: String?
    public var from: String?
    public var to: String?

    public init(department: String? = nil, province: String? = nil, district: String? = nil, from: String? = nil, to: String? = nil) {
        self.department = department
        self.province = province
        self.district = district
        self.from = from
        self.to = to
    }
}

/// Staff's indicators of the market (`GET /v1/reports/indicators`). Definitions:
///
/// - talents *registered*: providers whose home district is in the area (any status);
///   *contracted*: those with a contract in the area, starting in the period, signed at least;
/// - contracts and amounts: contracts of the area starting in the period, by status and by the
///   kind of the buying organisation;
/// - funding: what the lines of contracts signed at least promise and what was paid of them,
///   by kind; the counterpart *leverage* is (municipal + counterpart cash + in kind) ÷ public
///   transfer, over the promised amounts;
/// - the average rating: the plain mean of each rating's mean over its four dimensions, for
///   rated contracts of the area and period;
/// - requests posted in the area in the period, by status; the median days from a request's
///   posting to the signing of its first contract;
/// - hired again: the share of contracted talents with two contracts or more;
/// - families served and the amount per family: completed contracts that say how many families;
/// - where the work goes: the share of contracted talents hired at least once by each kind of
///   buyer (communities and associations together; a talent may count under several).
public struct Indicators: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var key: String
        public var count: Int
        public var share: Double?

        public init(key: String, count: Int, of total: Int) {
            self.key = key
            self.count = count
            share = total == 0 ? nil : (Double(count) / Double(total)).rounded(toPlaces: 3)
        }
    }

    public struct Amount: Sendable, Codable, Equatable {
        public var key: String
        public var contracts: Int
        public var amountCents: Int64

        public init(key: String, contracts: Int, amountCents: Int64) {
            self.key = key
            self.contracts = contracts
            self.amountCents = amountCents
        }
    }

    public struct Funding: Sendable, Codable, Equatable {
        public var kind: FundingKind
        public var fundedCents: Int64
        public var paidCents: Int64

        public init(kind: FundingKind, fundedCents: Int64, paidCents: Int64) {
            self.kind = kind
            self.fundedCents = fundedCents
            self.paidCents = paidCents
        }
    }

    public var scope: IndicatorScope
    public var talentsRegistered: Int
    public var talentsRegisteredByKind: [Count]
    public var talentsRegisteredByGender: [Count]
    public var talentsContracted: Int
    public var talentsContractedByKind: [Count]
    public var talentsContractedByGender: [Count]
    public var contractsByStatus: [Amount]
    public var contractsByBuyerKind: [Amount]
    public var funding: [Funding]
    public var counterpartLeverage: Double?
    public var ratings: Int
    public var averageRating: Double?
    public var requestsByStatus: [Count]
    public var medianDaysToContract: Double?
    public var hiredAgainShare: Double?
    public var familiesServed: Int
    public var amountPerFamilyCents: Int64?
    public var workByBuyerKind: [Count]
    /// When the figures were computed: now, or a minute or so ago for a scope slow to compute.
    public var asOf: Date

    public init(
        scope: IndicatorScope, talentsRegistered: Int, talentsRegisteredByKind: [Count], talentsRegisteredByGender: [Count],
        talentsContracted: Int, talentsContractedByKind: [Count], talentsContractedByGender: [Count], contractsByStatus: [Amount],
        contractsByBuyerKind: [Amount], funding: [Funding], ratings: Int, averageRating: Double?, requestsByStatus: [Count],
        medianDaysToContract: Double?, hiredAgain: Int, familiesServed: Int, amountForFamiliesCents: Int64, workByBuyerKind: [Count],
        asOf: Date
    ) {
        self.scope = scope
        self.talentsRegistered = talentsRegistered
        self.talentsRegisteredByKind = talentsRegisteredByKind
        self.talentsRegisteredByGender = talentsRegisteredByGender
        self.talentsContracted = talentsContracted
        self.talentsContractedByKind = talentsContractedByKind
        self.talentsContractedByGender = talentsContractedByGender
        self.contractsByStatus = contractsByStatus
        self.contractsByBuyerKind = contractsByBuyerKind
        self.funding = funding
        let promised = { (kind: FundingKind) in funding.first { $0.kind == kind }?.fundedCents ?? 0 }
        let publicTransfer = promised(.publicTransfer)
        counterpartLeverage =
            publicTransfer == 0
            ? nil
            : (Double(promised(.municipal) + promised(.counterpartCash) + promised(.counterpartInKind)) / Double(publicTransfer))
                .rounded(toPlaces: 2)
        self.ratings = ratings
        self.averageRating = averageRating?.rounded(toPlaces: 2)
        self.requestsByStatus = requestsByStatus
        self.medianDaysToContract = medianDaysToContract?.rounded(toPlaces: 1)
        hiredAgainShare = talentsContracted == 0 ? nil : (Double(hiredAgain) / Double(talentsContracted)).rounded(toPlaces: 3)
        self.familiesServed = familiesServed
        amountPerFamilyCents = familiesServed == 0 ? nil : amountForFamiliesCents / Int64(familiesServed)
        self.workByBuyerKind = workByBuyerKind
        self.asOf = asOf
    }

    /// The figures as CSV records under `figure,breakdown,value`, one figure per row.
    public var records: [[String]] {
        var rows = [["figure", "breakdown", "value"]]
        func add(_ figure: String, _ breakdown: String = "", _ value: CustomStringConvertible?) {
            rows.append([figure, breakdown, value.map(\.description) ?? ""])
        }
        add("talents_registered", "", talentsRegistered)
        for count in talentsRegisteredByKind { add("talents_registered", "kind=\(count.key)", count.count) }
        for count in talentsRegisteredByGender { add("talents_registered", "gender=\(count.key)", count.count) }
        add("talents_contracted", "", talentsContracted)
        for count in talentsContractedByKind { add("talents_contracted", "kind=\(count.key)", count.count) }
        for count in talentsContractedByGender { add("talents_contracted", "gender=\(count.key)", count.count) }
        for amount in contractsByStatus {
            add("contracts", "status=\(amount.key)", amount.contracts)
            add("amount_cents", "status=\(amount.key)", amount.amountCents)
        }
        for amount in contractsByBuyerKind {
            add("contracts", "buyer_kind=\(amount.key)", amount.contracts)
            add("amount_cents", "buyer_kind=\(amount.key)", amount.amountCents)
        }
        for line in funding {
            add("funded_cents", "kind=\(line.kind.rawValue)", line.fundedCents)
            add("paid_cents", "kind=\(line.kind.rawValue)", line.paidCents)
        }
        add("counterpart_leverage", "", counterpartLeverage)
        add("ratings", "", ratings)
        add("average_rating", "", averageRating)
        for count in requestsByStatus { add("requests", "status=\(count.key)", count.count) }
        add("median_days_to_contract", "", medianDaysToContract)
        add("hired_again_share", "", hiredAgainShare)
        add("families_served", "", familiesServed)
        add("amount_per_family_cents", "", amountPerFamilyCents)
        for count in workByBuyerKind { add("talents_hired_by", "buyer_kind=\(count.key)", count.share) }
        return rows
    }
}
