import CLibPQ
import Foundation

/// A blocking libpq connection, for the few jobs that need the simple-query protocol:
/// running whole migration files (many statements in one string) and COPY FROM STDIN.
/// The service itself talks to PostgreSQL through PostgresNIO only.
final class LibPQConnection {
    private let connection: OpaquePointer

    init(_ endpoint: DatabaseEndpoint) throws {
        guard let connection = PQconnectdb(endpoint.libpqConnectionString) else {
            throw LibPQError(message: "out of memory while connecting")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.message(of: connection)
            PQfinish(connection)
            throw LibPQError(message: "cannot connect to \(endpoint.redactedDescription): \(message)")
        }
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Runs one or many statements; returns the rows of the last one as text (nil for NULL).
    @discardableResult
    func execute(_ sql: String) throws -> [[String?]] {
        try consume(PQexec(connection, sql))
    }

    /// Runs one statement with parameters bound as text.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String]) throws -> [[String?]] {
        let cStrings = parameters.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let values = cStrings.map { UnsafePointer<CChar>($0) }
        let result = values.withUnsafeBufferPointer { buffer in
            PQexecParams(connection, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Runs `COPY ... FROM STDIN` and streams `data` to it.
    func copy(_ copyStatement: String, data: Data) throws {
        let start = PQexec(connection, copyStatement)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else {
            // PQexec has read the statement's whole result already: only its error is left to tell.
            throw LibPQError(message: Self.message(of: connection))
        }
        let sent = data.withUnsafeBytes { bytes in
            PQputCopyData(connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1, PQputCopyEnd(connection, nil) == 1 else {
            throw LibPQError(message: Self.message(of: connection))
        }
        try consume(PQgetResult(connection))
        while let extra = PQgetResult(connection) { PQclear(extra) }
    }

    private func consume(_ result: OpaquePointer?) throws -> [[String?]] {
        guard let result else { throw LibPQError(message: Self.message(of: connection)) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return []
        case PGRES_TUPLES_OK:
            let rows = PQntuples(result), columns = PQnfields(result)
            return (0..<rows).map { row in
                (0..<columns).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
        default:
            throw LibPQError(message: String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private static func message(of connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct LibPQError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
