import Foundation
import Testing

/// The API's controllers and the pages' handlers are two doors onto one layer of actions: a
/// store both of them call would let a rule or a refusal be written twice, and drift (issue 26).
@Suite struct DoorsShareActionsTests {
    static let server = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/YachaqServer")

    /// The stores each door names, by type.
    static func stores(in folder: String) throws -> Set<String> {
        let directory = server.appendingPathComponent(folder)
        var found: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".swift") {
            let code = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            found.formUnion(Browser.all(#"\b([A-Z][A-Za-z]*(?:Store|Export|Counts))\b"#, in: code).filter { $0 != "YachaqStore" })
        }
        return found
    }

    /// What both doors still reach without an action: reference data (public, to be one value
    /// loaded at boot). The streamed exports are handed out by their actions, to staff only.
    static let sharedOnPurpose: Set<String> = ["ReferenceStore"]

    @Test func noStoreIsCalledFromBothDoorsButThoseListed() throws {
        let controllers = try Self.stores(in: "Controllers"), pages = try Self.stores(in: "Web")
        #expect(!controllers.isEmpty && !pages.isEmpty)
        let shared = controllers.intersection(pages)
        #expect(shared.subtracting(Self.sharedOnPurpose).isEmpty, "both doors call \(shared.subtracting(Self.sharedOnPurpose).sorted())")
        for store in [
            "ContractStore", "PaymentStore", "ServiceRequestStore", "JobApplicationStore", "ReviewStore", "RatingStore", "SessionStore",
            "UserStore",
        ] {
            #expect(!controllers.contains(store), "a controller calls \(store): writes and shared reads are actions")
        }
    }
}
