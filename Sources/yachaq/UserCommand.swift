import ArgumentParser
import Foundation
import YachaqDomain
import YachaqActions
import YachaqServer
import YachaqStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage user accounts from the server's shell.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user, e.g. the first admin of a new install.",
            discussion: "Without --password-stdin a 16-character password is generated and printed once."
        )

        @Option(help: "Sign-in name: 3 to 64 letters, digits, . _ @ -")
        var login: String

        @Option(help: "admin, staff, municipality, community or provider")
        var role: String

        @Option(help: "Id of the user's organisation (required for municipality and community users).")
        var organization: String?

        @Flag(help: "Read the password from standard input (one line) instead of generating one.")
        var passwordStdin = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var organizationID: UUID?
            if let organization {
                guard let id = UUID(uuidString: organization) else {
                    throw ValidationError("--organization must be an organisation id (UUID)")
                }
                organizationID = id
            }
            let password: String
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
                password = line
            } else {
                password = NewUser.generatedPassword()
            }
            let input = NewUser(login: login, password: password, role: role, organizationID: organizationID)
            let draft: UserDraft
            do { draft = try input.checked() } catch let invalid as InvalidInput {
                throw ValidationError(invalid.errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
            }

            let logger = makeLogger("yachaq.user")
            let hash = try await PasswordHasher.hash(password)
            let user = try await database.withMigratedDatabase(logger: logger) { client in
                try await UserStore(database: client, logger: logger).create(draft, passwordHash: hash, actor: nil)
            }
            print("Created \(user.role.rawValue) \(user.login) (id \(user.id.uuidString.lowercased())).")
            if !passwordStdin { print("Password (shown only now): \(password)") }
        }

    }
}
