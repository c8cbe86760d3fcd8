import Foundation
import Logging
import PostgresNIO
import YachaqDomain

/// A list's SELECT with only the filters it was asked for, each bound, followed by the
/// keyset condition of the page, ORDER BY and LIMIT. Every list endpoint builds its query
/// this way: a generic `(x IS NULL OR x = …)` plan is made once for all argument values and
/// so can use no index for x, while a query naming only the filters given gets each one's.
///
/// Conditions are SQL with `{}` where a value goes: `query.filter("p.kind = {}", kind)`.
struct FilteredQuery {
    private var text: SQLText

    /// `select` is everything before WHERE; its `{}` take `values`.
    init(_ select: String, _ values: any PostgresDynamicTypeEncodable...) {
        self.init(select, values)
    }

    init(_ select: String, _ values: [any PostgresDynamicTypeEncodable]) {
        text = SQLText()
        text.append(select, values)
        text.append(" WHERE true")
    }

    /// Adds `AND (condition)`.
    mutating func filter(_ condition: String, _ values: any PostgresDynamicTypeEncodable...) {
        filter(condition, values)
    }

    mutating func filter(_ condition: String, _ values: [any PostgresDynamicTypeEncodable]) {
        text.append(" AND (")
        text.append(condition, values)
        text.append(")")
    }

    /// The query for one page: ordered, and one row more than `limit`, which tells whether
    /// another page follows (`FetchedPage`).
    func page(orderBy order: String, limit: Int) -> PostgresQuery {
        ordered(by: order, limit: limit + 1)
    }

    /// The query, ordered, with at most `limit` rows.
    func ordered(by order: String, limit: Int) -> PostgresQuery {
        var text = text
        text.append(" ORDER BY \(order) LIMIT \(limit)")
        return text.query
    }
}

/// SQL built piece by piece, with `{}` in each piece where a bound value goes: for
/// statements whose parts come from more than one place (a list's filters; a write and its
/// audit rows in one statement).
struct SQLText {
    private var sql = ""
    private var binds = PostgresBindings()

    /// A nil value is bound as NULL.
    mutating func append(_ template: String, _ values: (any PostgresDynamicTypeEncodable)?...) {
        append(template, values)
    }

    /// Scans the template's bytes for `{}` (splitting it as a String took 3 % of a payment's
    /// CPU time).
    mutating func append(_ template: String, _ values: [(any PostgresDynamicTypeEncodable)?]) {
        let bytes = Array(template.utf8)
        var start = 0, index = 0, bound = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "}") else {
                index += 1
                continue
            }
            precondition(bound < values.count, "a value for each {}: \(template)")
            sql += String(decoding: bytes[start..<index], as: UTF8.self)
            if let value = values[bound] { binds.append(value) } else { binds.appendNull() }
            sql += "$\(binds.count)"
            bound += 1
            index += 2
            start = index
        }
        precondition(bound == values.count, "a {} for each value: \(template)")
        sql += String(decoding: bytes[start...], as: UTF8.self)
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

/// The rows of one page, from a query that fetched up to `limit + 1`, and the cursor that
/// names the last of them when the extra row showed that more follow.
struct FetchedPage<Row> {
    let rows: [Row]
    let nextCursor: String?

    init(_ fetched: [Row], limit: Int, cursor: (Row) -> [String]) {
        rows = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? rows.last.map { Cursor.encode(cursor($0)) } : nil
    }

    func page<Item>(_ items: [Item]) -> Page<Item> {
        Page(items: items, nextCursor: nextCursor)
    }
}

/// The keyset of lists shown newest first, by (created_at, id) of the table aliased
/// `alias`: its select columns, order, cursor and the condition for the rows after one.
struct NewestFirst {
    let alias: String

    struct Key {
        let id: UUID
        /// created_at in whole microseconds since 1970: exact, unlike a float.
        let micros: Int64
        var cursor: [String] { [String(micros), id.lowercased] }
    }

    var columns: String { "\(alias).id, (extract(epoch FROM \(alias).created_at) * 1000000)::bigint AS micros" }
    var order: String { "\(alias).created_at DESC, \(alias).id DESC" }

    func key(_ row: NamedColumns) throws -> Key { Key(id: try row.value("id"), micros: try row.value("micros")) }

    /// One page of `query` (which selects `columns`), its records loaded by id in page order.
    func page<Record: Sendable>(
        _ query: FilteredQuery, limit: Int, on database: Database, logger: Logger,
        load: @Sendable ([UUID], PostgresConnection) async throws -> [Record]
    ) async throws -> Page<Record> {
        try await database.withConnection { connection in
            let rows = try await connection.run(query.page(orderBy: order, limit: limit), logger: logger).records(key)
            let fetched = FetchedPage(rows, limit: limit) { $0.cursor }
            return fetched.page(try await load(fetched.rows.map(\.id), connection))
        }
    }

    /// Keeps the rows after the cursor a page of this list gave out; 422 for any other text
    /// (its time must lie between 1970 and 2200 before it is bound).
    func filter(_ query: inout FilteredQuery, after cursor: String?) throws {
        let after = try Cursor.parts(of: cursor, count: 2) { parts in
            Int64(parts[0]).map { (0...7_258_118_400_000_000).contains($0) } == true && UUID(uuidString: parts[1]) != nil
        }
        guard let after, let micros = Int64(after[0]) else { return }
        query.filter(
            "(\(alias).created_at, \(alias).id) < ('epoch'::timestamptz + {} * interval '1 microsecond', {}::uuid)", micros, after[1])
    }
}
