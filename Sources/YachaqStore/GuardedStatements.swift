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
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try checkOpen()
        return try await self.query(query, logger: logger, file: file, line: line)
    }

    func run<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger, file: String = #fileID, line: Int = #line)
        async throws -> AsyncThrowingMapSequence<PostgresRowSequence, Statement.Row>
    {
        try checkOpen()
        return try await execute(statement, logger: logger, file: file, line: line)
    }

    /// BEGIN, `body`, COMMIT (ROLLBACK when `body` throws), each statement through `run`.
    func runTransaction<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await run("BEGIN", logger: logger)
        let value: T
        do {
            value = try await body(self)
        } catch {
            _ = try? await run("ROLLBACK", logger: logger)
            throw error
        }
        try await run("COMMIT", logger: logger)
        return value
    }

    private func checkOpen() throws {
        guard !isClosed else { throw DatabaseUnavailable(reason: "the connection to the database closed") }
    }
}
