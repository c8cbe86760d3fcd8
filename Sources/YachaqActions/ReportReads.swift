import Foundation
import YachaqDomain
import YachaqStore

/// The market's indicators for a place and period: staff's.
public struct ReadIndicators: Sendable {
    let indicators: IndicatorStore

    public func callAsFunction(_ scope: IndicatorScope, by identity: Identity) async throws -> Indicators {
        try identity.require(.readReports)
        return try await indicators.indicators(scope)
    }
}

/// The talents whose figures ask for a look (falling ratings, missed milestones, …): staff's.
public struct ListNeedsALook: Sendable {
    let needsALook: NeedsALookStore

    public func callAsFunction(after cursor: String?, limit: Int, by identity: Identity) async throws -> Page<ProviderNeedingALook> {
        try identity.require(.readReports)
        return try await needsALook.list(after: cursor, limit: limit)
    }
}

/// The language an account reads the pages in, remembered for its next sign-in.
public struct ChooseLanguage: Sendable {
    let users: UserStore

    public func callAsFunction(_ language: DisplayLanguage, by identity: Identity) async throws {
        try await users.setDisplayLanguage(identity.userID, to: language, actor: identity)
    }
}

/// Every talent's figures as a spreadsheet, streamed a page at a time: staff's. The caller is
/// checked before anything is sent, so a refusal is a 403 and never a cut-off file.
public struct ExportProviderFigures: Sendable {
    let figures: ProviderFiguresExport

    /// The export, for a caller allowed to read it.
    public func callAsFunction(by identity: Identity) throws -> ProviderFiguresExport {
        try identity.require(.readReports)
        return figures
    }
}

/// The contracts as an OCDS release package, streamed: staff's, checked before anything is sent.
public struct ExportOCDS: Sendable {
    let ocds: OCDSExport

    /// The export, for a caller allowed to read it.
    public func callAsFunction(by identity: Identity) throws -> OCDSExport {
        try identity.require(.readReports)
        return ocds
    }
}

/// How many talents, open requests or contracts each district has, for staff's map.
public struct CountByDistrict: Sendable {
    let counts: DistrictCounts

    public func callAsFunction(_ subject: DistrictCounts.Subject, by identity: Identity) async throws -> [String: Int] {
        try identity.require(.readReports)
        return try await counts.counts(of: subject)
    }
}
