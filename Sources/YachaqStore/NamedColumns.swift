import Foundation
import PostgresNIO

/// A result row read by column name, so that a query's select list and the code that reads
/// it cannot fall out of step by position: `let id: UUID = try row.value("id")`.
struct NamedColumns: Sendable {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    /// The column's value; a column the query does not return is an error, not a crash.
    func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard row.contains(name) else { throw MissingColumn(name: name) }
        return try row[name].decode(T.self)
    }

    /// A text column holding one of the cases of `T` (its CHECK constraint keeps it so).
    func value<T: RawRepresentable>(_ name: String, as type: T.Type = T.self) throws -> T where T.RawValue == String {
        let text: String = try value(name)
        guard let value = T(rawValue: text) else { throw UnknownCase(column: name, value: text) }
        return value
    }

    /// Like `value`, for a nullable text column holding cases of `T`.
    func optional<T: RawRepresentable>(_ name: String, as type: T.Type = T.self) throws -> T? where T.RawValue == String {
        let text: String? = try value(name)
        return try text.map { text in
            guard let value = T(rawValue: text) else { throw UnknownCase(column: name, value: text) }
            return value
        }
    }

    struct MissingColumn: Error { let name: String }
    struct UnknownCase: Error { let column: String, value: String }
}

extension AsyncSequence where Element == PostgresRow {
    /// Every row, each made into a record by `make`.
    func records<Record>(_ make: (NamedColumns) throws -> Record) async throws -> [Record] {
        var records: [Record] = []
        for try await row in self { records.append(try make(NamedColumns(row))) }
        return records
    }

    /// The one row a statement returns (`INSERT … RETURNING`, an `UPDATE` of a locked row).
    func record<Record>(_ make: (NamedColumns) throws -> Record) async throws -> Record {
        guard let record = try await records(make).first else { throw NoRow() }
        return record
    }
}

/// A statement that always returns a row returned none: a bug.
struct NoRow: Error {}

/// An id a batch load was asked for and did not find: a bug (the ids came from a query of
/// the same transaction), never a reason to shift the remaining rows silently.
struct MissingRecord: Error, CustomStringConvertible {
    let entity: String
    let id: UUID
    var description: String { "no \(entity) row for id \(id)" }
}

extension Dictionary where Key == UUID {
    /// The values for `ids`, in their order; a missing one throws `MissingRecord`.
    func inOrder(of ids: [UUID], entity: String) throws -> [Value] {
        try ids.map { id in
            guard let value = self[id] else { throw MissingRecord(entity: entity, id: id) }
            return value
        }
    }
}
