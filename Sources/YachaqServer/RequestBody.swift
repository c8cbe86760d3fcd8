import Foundation
import Hummingbird
import YachaqDomain
import YachaqStore

extension Request {
    /// The JSON body as `T`: 415 when it is not sent as JSON, 400 when it is not JSON at
    /// all, 422 naming the field when JSON of the wrong shape (a missing field, a string for
    /// a number, a field `T` does not have, a NUL character in a text).
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let (data, json) = try await jsonBody(context: context, accepting: ["application/json"])
        let value: T
        do {
            value = try JSONCoding.decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem.validation([Self.fieldError(error)])
        }
        try KnownFields.check(json, against: value)
        return value
    }

    /// The body decoded and checked in one step (`CheckedInput`): the draft a store takes,
    /// or the problem of decoding (400, 415, 422) or of checking (422 naming every field).
    func decodeDraft<Input: CheckedInput>(_ type: Input.Type, context: AppRequestContext, codes: ReferenceCodes) async throws
        -> Input.Draft
    {
        try await decodeJSON(as: type, context: context).checked(against: codes)
    }

    /// The body as a JSON merge patch (RFC 7396): a JSON object, else 400.
    func mergePatch(context: AppRequestContext) async throws -> MergePatch {
        let (data, json) = try await jsonBody(context: context, accepting: ["application/json", "application/merge-patch+json"])
        guard let object = json as? [String: Any] else {
            throw Problem.badRequest("The body must be a JSON object.")
        }
        return MergePatch(data: data, keys: Set(object.keys))
    }

    /// The body, checked to be JSON of an accepted media type, and parsed.
    private func jsonBody(context: AppRequestContext, accepting types: Set<String>) async throws -> (Data, Any) {
        let mediaType = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, types.contains(mediaType) else {
            throw Problem(.unsupportedMediaType, detail: "Send the body as \(types.sorted().joined(separator: " or ")) (Content-Type).")
        }
        let data = Data(buffer: try await body.collect(upTo: context.maxUploadSize))
        guard let json = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) else {
            throw Problem.badRequest("The body is not valid JSON.")
        }
        if let repeated = RepeatedKeys.first(in: data) {
            throw Problem.validation(field: repeated, "is given twice; send each field once")
        }
        let nulls = KnownFields.textsWithNUL(json)
        guard nulls.isEmpty else {
            throw Problem.validation(nulls.map { FieldError(field: $0, message: "must not contain a NUL character (\\u0000)") })
        }
        return (data, json)
    }

    static func fieldError(_ error: DecodingError) -> FieldError {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            let names = keys.map { key in key.intValue.map { "[\($0)]" } ?? JSONCoding.snakeCase(key.stringValue) }
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
        let result: T
        do {
            result = try JSONCoding.decoder.decode(T.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let error as DecodingError {
            throw Problem.validation([Request.fieldError(error)])
        }
        try KnownFields.check(patch, against: result)
        return result
    }
}

/// Finds what a client sent that the API does not take: members a decoded type has no
/// property for (JSONDecoder ignores them silently), and texts with NUL characters (which
/// PostgreSQL cannot store).
enum KnownFields {
    /// 422 naming every member of `json`, at any depth, that `value` (decoded from it) has
    /// no property for. The properties are read by reflection, so every input type is
    /// checked without a list of its fields to keep in step.
    static func check(_ json: Any, against value: Any) throws {
        var errors: [FieldError] = []
        collectUnknown(json, value, path: "", into: &errors)
        guard errors.isEmpty else { throw Problem.validation(errors) }
    }

    private static func collectUnknown(_ json: Any, _ value: Any, path: String, into errors: inout [FieldError]) {
        let mirror = Mirror(reflecting: value)
        switch (json, mirror.displayStyle) {
        case (_, .optional?):
            if let wrapped = mirror.children.first { collectUnknown(json, wrapped.value, path: path, into: &errors) }
        case (let array as [Any], .collection?):
            for (index, (element, child)) in zip(array, mirror.children).enumerated() {
                collectUnknown(element, child.value, path: "\(path)[\(index)]", into: &errors)
            }
        case (let object as [String: Any], .struct?):
            var properties: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label { properties[JSONCoding.snakeCase(label)] = child.value }
            }
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let property = properties[key] else {
                    errors.append(FieldError(field: field, message: "is not a field of this request"))
                    continue
                }
                collectUnknown(member, property, path: field, into: &errors)
            }
        default:
            return
        }
    }

    /// The paths of the texts (values or member names) that contain U+0000.
    static func textsWithNUL(_ json: Any, path: String = "") -> [String] {
        switch json {
        case let text as String:
            return text.utf8.contains(0) ? [path.isEmpty ? "body" : path] : []
        case let array as [Any]:
            return array.enumerated().flatMap { textsWithNUL($1, path: "\(path)[\($0)]") }
        case let object as [String: Any]:
            return object.flatMap { key, member in
                let field = path.isEmpty ? key : "\(path).\(key)"
                return key.utf8.contains(0) ? [field] : textsWithNUL(member, path: field)
            }
        default:
            return []
        }
    }
}
