import Foundation
import PackagePlugin

/// Writes the migrations, their data, the web pages and the API description into the
/// YachaqAssets module as Swift source, so that the binary carries them and runs wherever it
/// is copied. Regenerated when any of those files, or the checked-out commit, changes.
@main
struct EmbedAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedAssets.swift")
        var inputs = [root.appendingPathComponent("VERSION")]
        for folder in ["SQL", "Sources/YachaqServer/Resources"] {
            let base = root.appendingPathComponent(folder)
            let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
            while let file = walk?.nextObject() as? URL {
                if (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { inputs.append(file) }
            }
        }
        // The commit: HEAD, and the branch file it names, so that a new commit rebuilds.
        let head = root.appendingPathComponent(".git/HEAD")
        if let text = try? String(contentsOf: head, encoding: .utf8) {
            inputs.append(head)
            if text.hasPrefix("ref: ") {
                let ref = root.appendingPathComponent(".git/" + text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
                if FileManager.default.fileExists(atPath: ref.path) { inputs.append(ref) }
            }
        }
        var arguments = [root.path, output.path]
        // A build without .git (a container's) may name its commit in YACHAQ_COMMIT.
        if let commit = ProcessInfo.processInfo.environment["YACHAQ_COMMIT"], !commit.isEmpty { arguments.append(commit) }
        return [
            .buildCommand(
                displayName: "Embedding migrations, pages and openapi.yaml",
                executable: try context.tool(named: "embed-assets").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
