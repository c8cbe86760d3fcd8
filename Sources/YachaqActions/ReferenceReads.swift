import Foundation
import YachaqDomain
import YachaqStore

/// Districts by part of their name (or a department), for anyone: the API's list and every
/// form's place picker.
public struct SearchDistricts: Sendable {
    let reference: ReferenceStore

    public func callAsFunction(search: String?, department: String?, after cursor: String?, limit: Int) async throws -> Page<District> {
        try await reference.districts(search: search, department: department, after: cursor, limit: limit)
    }

    /// One district by its ubigeo; nil when there is none.
    public func district(_ ubigeo: Ubigeo) async throws -> District? {
        try await reference.district(ubigeo)
    }
}
