import Logging
import PostgresNIO

// postgres-nio 1.33.2 writes a query to its channel without a write promise
// (`channel.write(task, promise: nil)`): when the server has gone away and the channel is
// already closed, the query is dropped and its promise never completes, so the awaiting
// request, its lease and its task group hang for good, past any deadline (found with the
// database stopped under a stream of transactional writes: about one run in three hung).
// Every statement of a store goes through `run`, which refuses a closed connection at once;
// the window left is the microseconds between that check and the write.
extension PostgresConnection {
    /// The statement's rows, to be read: an error the server sends after the first rows (a
    /// trigger failing at the end of an `INSERT … RETURNING`) surfaces only while reading.
    func run(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try checkOpen()
        return try await self.query(query, logger: logger, file: file, line: line)
    }

    /// Runs a statement whose rows are not wanted, reading them all: a statement left unread
    /// could fail unseen, and the transaction's COMMIT would then quietly roll back.
    func execute(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws {
        for try await _ in try await run(query, logger: logger, file: file, line: line) {}
    }

    func run<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger, file: String = #fileID, line: Int = #line)
        async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Statement.Row>
    {
        try checkOpen()
        return try await execute(statement, logger: logger, file: file, line: line)
    }

    /// BEGIN, `body`, COMMIT (ROLLBACK when `body` throws), each statement through `run`.
    func runTransaction<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await execute("BEGIN", logger: logger)
        let value: T
        do {
            value = try await body(self)
        } catch {
            try? await execute("ROLLBACK", logger: logger)
            throw error
        }
        try await execute("COMMIT", logger: logger)
        return value
    }

    private func checkOpen() throws {
        guard !isClosed else { throw DatabaseUnavailable(reason: "the connection to the database closed") }
    }
}
