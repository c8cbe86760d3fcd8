import Foundation
import PostgresNIO
import Testing
import YachaqTestSupport

/// The audit trail of a world, with every id it knows by name and every time left out, so
/// that two worlds' entries compare equal when the same things were done in both.
enum AuditEntries {
    static func mark(_ world: World) async throws -> Int {
        try await world.count("SELECT coalesce(max(id), 0)::int FROM audit_log")
    }

    static func since(_ mark: Int, in world: World) async throws -> [String] {
        let rows = try await TestDatabase.withClient(world.endpoint) { client in
            try await client.query(
                """
                SELECT a.action, a.entity, a.entity_id, coalesce(u.login, ''), coalesce(a.before::text, ''), coalesce(a.after::text, '')
                FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.id > \(mark) ORDER BY a.id
                """
            ).collect().map { try $0.decode((String, String, String, String, String, String).self) }
        }
        var names = known(world)
        return rows.map { row in
            [row.0, row.1, name(row.2, &names), row.3, rename(row.4, &names), rename(row.5, &names)].joined(separator: " ")
        }
    }

    /// The world's records by the names the tests give them.
    static func known(_ world: World) -> [String: String] {
        var names: [UUID: String] = [
            world.communityA.id: "communityA", world.communityB.id: "communityB", world.municipality.id: "municipality",
            world.agency.id: "agency", world.ownProvider.id: "ownProvider", world.publishedProvider.id: "publishedProvider",
            world.unpublishedProvider.id: "unpublishedProvider", world.requestA.id: "requestA", world.requestB.id: "requestB",
            world.applicationA.id: "applicationA", world.ownApplication.id: "ownApplication", world.contractA.id: "contractA",
            world.contractB.id: "contractB", world.completedA.id: "completedA", world.reviewOfOwn.id: "reviewOfOwn",
        ]
        for (caller, user) in world.users { names[user.id] = "user:\(caller.rawValue)" }
        return Dictionary(uniqueKeysWithValues: names.map { ($0.key.uuidString.lowercased(), $0.value) })
    }

    /// A JSON snapshot with ids named and times left out, its members in order.
    private static func rename(_ json: String, _ names: inout [String: String]) -> String {
        guard !json.isEmpty, let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) else {
            return json
        }
        let renamed = walk(value, &names)
        guard let data = try? JSONSerialization.data(withJSONObject: renamed, options: [.sortedKeys, .fragmentsAllowed]) else {
            return json
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func walk(_ value: Any, _ names: inout [String: String]) -> Any {
        switch value {
        // Members in order, so that new ids are numbered alike in both worlds.
        case let object as [String: Any]:
            return Dictionary(uniqueKeysWithValues: object.sorted { $0.key < $1.key }.map { ($0.key, walk($0.value, &names)) })
        case let array as [Any]: return array.map { walk($0, &names) }
        case let text as String: return name(text, &names)
        default: return value
        }
    }

    /// An id by its name (a new record's by the order it first appears); a time as "time".
    private static func name(_ text: String, _ names: inout [String: String]) -> String {
        if let id = UUID(uuidString: text) {
            let key = id.uuidString.lowercased()
            if let known = names[key] { return known }
            let fresh = "new#\(names.count)"
            names[key] = fresh
            return fresh
        }
        if text.count >= 20, text.dropFirst(10).first == "T", CalendarDateText.isDay(text.prefix(10)) { return "time" }
        return text
    }
}

/// `YYYY-MM-DD`, told apart from other text.
private enum CalendarDateText {
    static func isDay(_ text: Substring) -> Bool {
        text.count == 10
            && text.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
            }
    }
}
