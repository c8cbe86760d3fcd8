import ArgumentParser
import Foundation
import YachaqAssets
import YachaqStore

/// `yachaq version`: what this binary is, for a deployment's records and bug reports.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version, the commit it was built from and the schema level its migrations reach.")

    func run() {
        print("yachaq \(BuildInfo.version)")
        print("commit \(BuildInfo.commit)")
        print("schema \(Migrator().schemaLevel)")
        print("assets \(Settings.process.assets.origin)")
    }
}

/// `yachaq assets export DIR`: the files compiled into the binary, written out to read or to
/// edit and use with `--assets-dir` (a reviewer trying a translation, say).
struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "The migrations, pages and openapi.yaml compiled into the binary.", subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write them into a folder (SQL/, Pages/, openapi.yaml).")

        @Argument(help: "Folder to write into; created if missing.")
        var folder: String

        func run() throws {
            let count = try AssetTree.exportEmbedded(to: URL(fileURLWithPath: folder, isDirectory: true))
            print("wrote \(count) files into \(folder)")
        }
    }
}
