import Foundation
import PostgresNIO
import YachaqDomain

/// What a store reports that is the client's doing, not a fault: the HTTP layer maps it
/// to 404 / 409 / 403. Invalid input is a `ValidationError` (422).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    /// A rule that depends on stored state forbids this caller the change (checked under
    /// the row's lock, where the policy alone cannot see it).
    case forbidden(String)

    public var description: String {
        switch self {
        case .notFound(let detail), .conflict(let detail), .forbidden(let detail): detail
        }
    }
}

/// How a violated constraint, by name, reads to the client.
enum ConstraintMeaning {
    case invalid(field: String, message: String)
    case conflict(String)
}

/// Runs `body`, turning violations of the named constraints into `ValidationError` or
/// `StoreError.conflict`; other errors pass unchanged, out of any transaction wrapper.
func translatingConstraints<T>(_ meanings: [String: ConstraintMeaning], _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        guard let name = error.databaseError?.serverInfo?[.constraintName], let meaning = meanings[name] else {
            throw error.unwrappingTransaction
        }
        switch meaning {
        case .invalid(let field, let message): throw ValidationError(field: field, message)
        case .conflict(let detail): throw StoreError.conflict(detail)
        }
    }
}

extension Error {
    /// The PostgreSQL error inside, also when a transaction wrapped it.
    public var databaseError: PSQLError? {
        if let error = self as? PSQLError { return error }
        if let transaction = self as? PostgresTransactionError {
            return (transaction.closureError ?? transaction.commitError ?? transaction.beginError)?.databaseError
        }
        return nil
    }

    /// The error a transaction's body threw, or this error itself.
    public var unwrappingTransaction: any Error {
        if let transaction = self as? PostgresTransactionError,
           let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError {
            return inner.unwrappingTransaction
        }
        return self
    }
}

/// A value as the audit trail stores it: JSON with the API's snake_case names.
func auditJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = .sortedKeys
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
