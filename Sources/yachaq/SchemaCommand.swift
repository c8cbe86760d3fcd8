import ArgumentParser
import Foundation
import YachaqStore

/// `yachaq schema`: the whole schema after every migration, in one file a newcomer can read
/// (SQL/schema.sql; a test fails when that file is out of date).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema as pg_dump --schema-only prints it after all migrations (for SQL/schema.sql)."
    )

    @Option(help: "Write to this file instead of standard output, e.g. SQL/schema.sql.")
    var output: String?

    func run() throws {
        var logger = makeLogger("yachaq.schema")
        logger.logLevel = .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-schema-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o755)  // the server may run as postgres
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try EmbeddedPostgres(
            dataDirectory: folder.appendingPathComponent("data"),
            options: .init(durable: false, binarySearchPath: Settings.process.postgresSearchPath), logger: logger)
        try server.start()
        defer { try? server.stop() }
        try server.createDatabase("yachaq")
        try Migrator(assets: Settings.process.assets, logger: logger).migrate(server.endpoint(database: "yachaq"))
        let schema = try server.dumpSchema(database: "yachaq")
        if let output {
            try schema.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(schema, terminator: "")
        }
    }
}
