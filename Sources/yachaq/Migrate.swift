import ArgumentParser
import YachaqStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the migrations in SQL/ that the database does not have yet."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = makeLogger("yachaq.migrate")
        let (endpoint, server) = try database.open(logger: logger)
        defer { try? server?.stop() }
        let applied = try Migrator(assets: database.assets, logger: logger).migrate(endpoint)
        print(
            applied.isEmpty
                ? "Nothing to apply: the database is up to date." : "Applied \(applied.count): \(applied.joined(separator: ", "))")
    }
}
