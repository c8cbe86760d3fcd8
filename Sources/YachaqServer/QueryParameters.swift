import Foundation
import Hummingbird
import YachaqDomain

extension Request {
    /// A text query parameter; blank counts as absent.
    func text(_ name: String) -> String? {
        guard let value = uri.queryParameters[Substring(name)].map(String.init), !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }

    /// `?limit=`: 50 when absent, 1...200 otherwise (422 outside that).
    func pageLimit() throws -> Int {
        guard let text = text("limit") else { return PageLimit.default }
        guard let limit = Int(text), (1...PageLimit.maximum).contains(limit) else {
            throw Problem.validation(field: "limit", "must be a whole number from 1 to \(PageLimit.maximum)")
        }
        return limit
    }
}
