import Foundation

/// The files the service reads at run time (migrations and their data under `SQL/`, the web
/// pages under `Pages/`, `openapi.yaml`): the copies compiled into the binary, or a folder of
/// the same layout given with `--assets-dir` (to try an edited translation or template
/// without a build). Paths use `/` and are relative to the tree's root.
public struct AssetTree: Sendable {
    enum Source: Sendable {
        case embedded
        case directory(URL)
    }

    let source: Source

    /// The assets this binary was built with.
    public static let embedded = AssetTree(source: .embedded)

    /// A folder laid out as `SQL/`, `Pages/`, `openapi.yaml`.
    public init(directory: URL) { source = .directory(directory) }

    init(source: Source) { self.source = source }

    /// Where the files come from, for logs and `yachaq version`.
    public var origin: String {
        switch source {
        case .embedded: "embedded in the binary"
        case .directory(let url): url.path
        }
    }

    /// The names of the files directly inside `folder`, sorted.
    public func names(in folder: String) throws -> [String] {
        switch source {
        case .embedded:
            let prefix = folder.isEmpty ? "" : folder + "/"
            return EmbeddedAssets.files.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
                .map { String($0.dropFirst(prefix.count)) }.sorted()
        case .directory(let url):
            let inside = url.appendingPathComponent(folder, isDirectory: true)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: inside.path) else {
                throw AssetError.missing(path: folder + "/", origin: origin)
            }
            return names.filter { name in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: inside.appendingPathComponent(name).path, isDirectory: &isFolder)
                    && !isFolder.boolValue
            }.sorted()
        }
    }

    /// The text of `path`; throws `AssetError.missing` when there is no such file.
    public func text(_ path: String) throws -> String {
        switch source {
        case .embedded:
            guard let text = EmbeddedAssets.files[path] else { throw AssetError.missing(path: path, origin: origin) }
            return text
        case .directory(let url):
            do { return try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8) } catch {
                throw AssetError.missing(path: path, origin: origin)
            }
        }
    }

    /// The bytes of `path`.
    public func data(_ path: String) throws -> Data { Data(try text(path).utf8) }

    /// Writes every embedded file into `directory` (for `yachaq assets export`), creating
    /// folders as needed; returns how many files it wrote.
    @discardableResult
    public static func exportEmbedded(to directory: URL) throws -> Int {
        for (path, text) in EmbeddedAssets.files {
            let file = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        return EmbeddedAssets.files.count
    }
}

public enum AssetError: Error, CustomStringConvertible {
    case missing(path: String, origin: String)

    public var description: String {
        switch self {
        case .missing(let path, let origin): "\(path) is not among the assets (\(origin))"
        }
    }
}

/// What this binary is: its version and the commit it was built from (its schema level is
/// `Migrator().schemaLevel`).
public enum BuildInfo {
    public static var version: String { EmbeddedAssets.version }
    public static var commit: String { EmbeddedAssets.commit }
}
