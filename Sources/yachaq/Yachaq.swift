import ArgumentParser
import YachaqServer

@main
struct Yachaq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yachaq",
        abstract: "Yachaq: the registry and market for local talents (yachaq, yachachiq) of the Peruvian highlands.",
        discussion: Setting.helpText,
        subcommands: [
            Serve.self, Migrate.self, SchemaCommand.self, Seed.self, UserCommand.self, ImportCommand.self, ExportCommand.self, Bench.self,
            BackupCommand.self, RestoreCommand.self, AssetsCommand.self, VersionCommand.self,
        ]
    )
}
