import Foundation

/// Why staff might look at a provider (`GET /v1/reports/needs-look`). Flags, not verdicts: the
/// communities judge the work; staff decide whether a review is due.
public enum LookReason: String, Sendable, Codable, CaseIterable {
    /// The Bayesian score the shortlist ranks by is below `NeedsALook.lowScore`.
    case lowScore = "low_score"
    /// A contract was terminated within `NeedsALook.recentDays`.
    case termination
    /// A certificate expired and no valid one of the same skill replaces it.
    case expiredCertification = "expired_certification"
    /// Active, contracted before, but no contract started within `NeedsALook.recentDays`.
    case idle
}

public struct ProviderNeedingALook: Sendable, Codable, Equatable {
    public struct Flag: Sendable, Codable, Equatable {
        public var code: LookReason
        public var detail: String
    }

    public var providerID: UUID
    public var fullName: String
    public var status: ProviderStatus
    public var reasons: [Flag]

    public init(providerID: UUID, fullName: String, status: ProviderStatus, reasons: [Flag]) {
        self.providerID = providerID
        self.fullName = fullName
        self.status = status
        self.reasons = reasons
    }
}

/// The thresholds of the list, stated once.
public enum NeedsALook {
    public static let lowScore = 3.0
    public static let recentDays = 365
}
