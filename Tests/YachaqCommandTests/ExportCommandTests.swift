import ArgumentParser
import Foundation
import Testing
import YachaqStore
import YachaqTestSupport

@testable import yachaq

/// `yachaq export` over a database URL naming the server's socket folder, as libpq writes it
/// (issue 27, finding 11: the folder was taken for a host name, and the export wrote its header
/// and then waited a minute).
@Suite struct ExportCommandTests {
    @Test func exportsOverASocketFolderURL() async throws {
        let endpoint = try await TestDatabase.fresh()
        guard case .socketDirectory(let folder) = endpoint.host else {
            Issue.record("the test clusters listen on a socket folder")
            return
        }
        let encoded = try #require(folder.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let url = "postgres://\(endpoint.username)@\(encoded):\(endpoint.port)/\(endpoint.database)"
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("payments-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: output) }
        var command = try #require(
            try ExportCommand.parseAsRoot(["payments", "--database-url", url, "--output", output.path]) as? AsyncParsableCommand)
        try await command.run()
        let written = try String(contentsOf: output, encoding: .utf8)
        #expect(written.hasPrefix("payment_id,"), "\(written.prefix(80))")
    }
}
