import Foundation
import Hummingbird
import YachaqDomain

extension Request {
    /// The JSON body as `T`: 400 when it is not JSON at all, 422 naming the field when
    /// JSON of the wrong shape (a missing field, a string for a number, ...).
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw Problem.badRequest("The body is not valid JSON.")
        }
        do {
            return try JSONCoding.decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem.validation([Self.fieldError(error)])
        }
    }

    /// The body as a JSON merge patch (RFC 7396): a JSON object, else 400.
    func mergePatch(context: AppRequestContext) async throws -> MergePatch {
        let data = Data(buffer: try await body.collect(upTo: context.maxUploadSize))
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Problem.badRequest("The body must be a JSON object.")
        }
        return MergePatch(data: data, keys: Set(object.keys))
    }

    static func fieldError(_ error: DecodingError) -> FieldError {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            let names = keys.map { key in key.intValue.map { "[\($0)]" } ?? snakeCase(key.stringValue) }
            return names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return FieldError(field: path(context.codingPath, key), message: "is required")
        case .typeMismatch(let type, let context):
            return FieldError(field: path(context.codingPath), message: "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return FieldError(field: path(context.codingPath), message: "must be \(describe(type)), not null")
        case .dataCorrupted(let context):
            return FieldError(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return FieldError(field: "", message: "does not match the expected shape")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is UUID.Type: "an id (UUID)"
        default: "of another type"
        }
    }

    /// The JSON name of a Swift property name ("organizationId" → "organization_id").
    private static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A JSON object whose members replace those of a stored record; `null` removes one.
struct MergePatch: Sendable {
    let data: Data
    let keys: Set<String>

    /// 422 naming every member that is not one of `fields`.
    func check(allowed fields: Set<String>, record: String) throws {
        let unknown = keys.subtracting(fields).sorted()
        guard unknown.isEmpty else {
            throw Problem.validation(unknown.map { FieldError(field: $0, message: "is not a field of \(record)") })
        }
    }

    /// `record` with this patch applied, through its JSON form.
    func applied<T: Codable>(to record: T) throws -> T {
        guard var merged = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(record)) as? [String: Any],
              let patch = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return record }
        for (key, value) in patch {
            merged[key] = value is NSNull ? nil : value
        }
        do {
            return try JSONCoding.decoder.decode(T.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let error as DecodingError {
            throw Problem.validation([Request.fieldError(error)])
        }
    }
}
