import Foundation
import Testing
import YachaqAssets
import YachaqStore
import YachaqTestSupport

/// The binary carries its migrations, pages, API description and list of common passwords: what it carries must be the
/// source tree's files byte for byte, and a folder given instead must be read the same way.
@Suite struct AssetTreeTests {
    /// Every file of the source folders, by its path among the assets.
    func sourceFiles() throws -> [String: Data] {
        let root = TestDatabase.sourceTree
        let resources = root.appendingPathComponent("Sources/YachaqServer/Resources")
        var files: [String: Data] = [:]
        for (prefix, folder) in [("SQL/", root.appendingPathComponent("SQL")), ("Pages/", resources.appendingPathComponent("Pages"))] {
            let base = folder.standardizedFileURL.path + "/"
            let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            while let file = walk?.nextObject() as? URL {
                guard try file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
                files[prefix + file.standardizedFileURL.path.dropFirst(base.count)] = try Data(contentsOf: file)
            }
        }
        for name in ["openapi.yaml", "common-passwords.txt"] {
            files[name] = try Data(contentsOf: resources.appendingPathComponent(name))
        }
        return files
    }

    @Test func theEmbeddedAssetsAreTheSourceFilesByteForByte() throws {
        let sources = try sourceFiles()
        let exported = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: exported) }
        #expect(try AssetTree.exportEmbedded(to: exported) == sources.count)
        #expect(sources.count > 60)
        for (path, bytes) in sources {
            #expect(try AssetTree.embedded.data(path) == bytes, "\(path) differs from its embedded copy")
        }
        let migrations = try AssetTree.embedded.names(in: "SQL").filter { $0.hasSuffix(".sql") && $0.first?.isNumber == true }
        #expect(Migrator().schemaLevel == migrations.last)
        #expect(BuildInfo.version.split(separator: ".").count == 3)
    }

    @Test func aFolderGivenInsteadIsReadTheSameWayAndAMissingFileIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yachaq-assets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try AssetTree.exportEmbedded(to: folder)
        let onDisk = AssetTree(directory: folder)
        #expect(try onDisk.names(in: "SQL") == AssetTree.embedded.names(in: "SQL"))
        #expect(try onDisk.names(in: "Pages/templates") == AssetTree.embedded.names(in: "Pages/templates"))
        #expect(try !onDisk.names(in: "SQL").contains("data"), "folders are not files")
        #expect(try onDisk.text("Pages/translations/qu.txt") == AssetTree.embedded.text("Pages/translations/qu.txt"))
        #expect(throws: AssetError.self) { try onDisk.text("Pages/translations/fr.txt") }
        #expect(throws: AssetError.self) { try AssetTree(directory: folder.appendingPathComponent("nothing")).names(in: "SQL") }
        #expect(throws: AssetError.self) { try AssetTree.embedded.text("Pages/translations/fr.txt") }
    }
}
