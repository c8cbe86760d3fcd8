import Foundation
import Hummingbird
import YachaqDomain
import YachaqStore

/// A list of everything, unpaged: `{"items": [...]}`.
struct Items<Item: Encodable & Sendable>: ResponseEncodable {
    let items: [Item]
}

extension Request {
    /// A text query parameter, nil when absent. Given but blank (`?status=`), with a NUL
    /// character, or over 500 characters: 422, so a client learns its mistake.
    func text(_ name: String) throws -> String? {
        guard let value = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.validation(field: name, "must not be empty; leave the parameter out instead")
        }
        guard !value.utf8.contains(0) else { throw Problem.validation(field: name, "must not contain a NUL character") }
        guard value.count <= 500 else { throw Problem.validation(field: name, "must be at most 500 characters") }
        return value
    }

    /// A date query parameter (`?from=2026-03-01`), nil when absent; a problem goes into `check`.
    func date(_ name: String, check: inout Validator) throws -> CalendarDate? {
        guard let text = try text(name) else { return nil }
        let date = CalendarDate(text)
        check(date != nil, name, "a date is written 2026-03-01")
        return date
    }

    /// `?cursor=`: a `next_cursor` this list gave out (base64url, at most 500 characters);
    /// what it holds is checked by the store that made it.
    func cursor() throws -> String? {
        guard let cursor = try text("cursor") else { return nil }
        guard cursor.utf8.allSatisfy({ Cursor.alphabet.contains($0) }) else {
            throw Problem.validation(field: "cursor", "is not a cursor this list gave out")
        }
        return cursor
    }

    /// `?near=<ubigeo>&radius_km=`: the capital of that district and the radius (default
    /// 50 km); problems go into `check`.
    func area(_ reference: ReferenceData, check: inout Validator) throws -> (
        near: (latitude: Double, longitude: Double)?, radiusKm: Double
    ) {
        let radius = try text("radius_km").map(Double.init) ?? 50
        check(radius.map { $0 >= 1 && $0 <= 2000 } ?? false, "radius_km", "must be a number of km from 1 to 2,000")
        guard let near = try text("near") else { return (nil, radius ?? 50) }
        guard let ubigeo = Ubigeo(near), let district = reference.district(ubigeo) else {
            check(false, "near", "no district has ubigeo \(near)")
            return (nil, radius ?? 50)
        }
        return ((district.latitude, district.longitude), radius ?? 50)
    }

    /// `?limit=`: `default` when absent, 1...`maximum` otherwise (422 outside that); a
    /// page of a list is 50 by default and at most 200.
    func pageLimit(default standard: Int = PageLimit.default, maximum: Int = PageLimit.maximum) throws -> Int {
        guard let text = try text("limit") else { return standard }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw Problem.validation(field: "limit", "must be a whole number from 1 to \(maximum)")
        }
        return limit
    }
}
