import Foundation
import Testing

/// The postgres-nio work-arounds (RELIABILITY.md, "What works around postgres-nio") hold only
/// if every statement of the service goes through them.
@Suite struct StatementGuardTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// What would go around the guards: PostgresNIO's own `query` on a connection or a client
    /// (instead of `run`, `execute` or `Database.query`), or a lease from the client itself
    /// (instead of `Database.withConnection`, which bounds its wait).
    static let bypasses = [
        #"\b(connection|client|\$0|self)\s*\.\s*query\("#, #"\bclient\s*\.\s*(withConnection|withTransaction)\b"#,
    ]

    /// Where the guards themselves call PostgresNIO.
    static let guards: Set<String> = ["GuardedStatements.swift", "Database.swift"]

    @Test func everyStatementOfTheServiceGoesThroughTheGuards() throws {
        var scanned = 0
        for module in ["YachaqStore", "YachaqActions", "YachaqServer"] {
            let folder = Self.sources.appendingPathComponent(module)
            let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
            for file in files where file.hasSuffix(".swift") && !Self.guards.contains((file as NSString).lastPathComponent) {
                let code = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                scanned += 1
                for pattern in Self.bypasses {
                    let expression = try NSRegularExpression(pattern: pattern)
                    let found = expression.matches(in: code, range: NSRange(code.startIndex..., in: code))
                    #expect(found.isEmpty, "\(module)/\(file) sends a statement around the guards (\(pattern))")
                }
            }
        }
        #expect(scanned > 60)
    }

    /// The rule catches what it should: the calls it forbids, not the guarded ones.
    @Test func theRuleTellsABypassFromAGuardedCall() throws {
        let expressions = try Self.bypasses.map { try NSRegularExpression(pattern: $0) }
        func bypasses(_ code: String) -> Bool {
            expressions.contains { $0.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil }
        }
        #expect(bypasses("try await connection.query(\"SELECT 1\", logger: logger)"))
        #expect(bypasses("try await client.withConnection { c in }"))
        #expect(!bypasses("try await connection.run(\"SELECT 1\", logger: logger)"))
        #expect(!bypasses("try await database.query(\"SELECT 1\")"))
        #expect(!bypasses("try await database.withConnection { c in }"))
    }
}
