import Foundation
import PostgresNIO
import YachaqDomain

/// How many of something each district has, for staff's map: active talents by home
/// district, open requests by the district of the work, contracts signed (signed, active,
/// completed or terminated) by the district of the work.
public struct DistrictCounts: Sendable {
    public enum Subject: String, Sendable, CaseIterable {
        case providers, requests, contracts
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Count per ubigeo, districts without any left out.
    public func counts(of subject: Subject) async throws -> [String: Int] {
        let query: PostgresQuery =
            switch subject {
            case .providers: "SELECT home_ubigeo AS ubigeo, count(*)::int AS n FROM providers WHERE status = 'active' GROUP BY 1"
            case .requests: "SELECT ubigeo, count(*)::int AS n FROM service_requests WHERE status = 'open' GROUP BY 1"
            case .contracts: "SELECT ubigeo, count(*)::int AS n FROM contracts WHERE \(unescaped: ScorecardStore.contracted) GROUP BY 1"
            }
        var counts: [String: Int] = [:]
        for try await (ubigeo, count) in try await database.readingQuery(query).decode((String, Int).self) { counts[ubigeo] = count }
        return counts
    }
}
