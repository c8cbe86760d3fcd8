import Foundation
import YachaqDomain
import YachaqStore

/// How the caller is reached: their own settings only.
public struct ReadContact: Sendable {
    let contacts: ContactStore

    public func callAsFunction(by identity: Identity) async throws -> ContactSettings {
        try await contacts.contact(of: identity.userID)
    }
}

/// The caller changes how they are reached (a field left out keeps its value).
public struct ChangeContact: Sendable {
    let contacts: ContactStore

    public func callAsFunction(_ input: ContactInput, by identity: Identity) async throws -> ContactSettings {
        try await contacts.change(identity.userID, actor: identity) { current in try input.checked(keeping: current) }
    }
}

/// The caller's own notifications, newest first, a page at a time.
public struct ListNotifications: Sendable {
    let notifications: NotificationStore

    public func callAsFunction(after cursor: String?, limit: Int, by identity: Identity) async throws -> Page<UserNotification> {
        try await notifications.list(userID: identity.userID, after: cursor, limit: limit)
    }
}
