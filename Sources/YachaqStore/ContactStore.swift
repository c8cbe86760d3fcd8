import Foundation
import PostgresNIO
import YachaqDomain

/// How each user is reached: a mobile number, whether SMS are wanted, the language.
public struct ContactStore: Sendable {
    let database: Database
    let logger: Logger
    /// Told after a change of language (pages read it from the sign-in).
    let signIns: SignInCache?

    public init(database: Database, logger: Logger, signIns: SignInCache? = nil) {
        self.database = database
        self.logger = logger
        self.signIns = signIns
    }

    public func contact(of userID: UUID) async throws -> ContactSettings {
        let rows = try await database.query("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(userID)", logger: logger)
        guard let contact = try await rows.records(UserContact.init).first else { throw StoreError.notFound("No user has id \(userID).") }
        return contact.settings
    }

    /// `change` sees the settings as they are, on the locked row, and returns the new ones;
    /// audited as `set_contact` (before and after). Unchanged: no write.
    public func change(
        _ userID: UUID, actor: Identity?, _ change: @Sendable (ContactSettings) throws -> ContactSettings
    ) async throws -> ContactSettings {
        defer { signIns?.forgetAll() }
        return try await database.withTransaction(logger: logger) { connection in
            let locked = try await connection.run(
                "SELECT \(unescaped: Self.columns) FROM users WHERE id = \(userID) FOR UPDATE", logger: logger
            ).records(UserContact.init)
            guard let before = locked.first else { throw StoreError.notFound("No user has id \(userID).") }
            let settings = try change(before.settings)
            guard settings != before.settings else { return settings }
            let after = try await connection.run(
                """
                UPDATE users SET phone = \(settings.phone), sms = \(settings.sms), display_language = \(settings.language.rawValue)
                WHERE id = \(userID) RETURNING \(unescaped: Self.columns)
                """, logger: logger
            ).record(UserContact.init)
            try await AuditTrail.write(
                AuditChange("set_contact", before: before, after: after), actor: actor?.userID, on: connection, logger: logger)
            return after.settings
        }
    }

    private static let columns = "id, phone, sms, display_language"
}

/// A user's contact settings as the audit trail keeps them, filed under the user.
struct UserContact: Audited {
    let userID: UUID
    let settings: ContactSettings

    static let auditEntity = "user"
    var auditID: String { userID.lowercased }

    init(_ row: NamedColumns) throws {
        userID = try row.value("id")
        settings = ContactSettings(phone: try row.value("phone"), sms: try row.value("sms"), language: try row.value("display_language"))
    }

    func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
    }
}
