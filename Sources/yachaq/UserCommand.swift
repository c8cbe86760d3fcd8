import ArgumentParser
import Foundation
import PostgresNIO
import YachaqDomain
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
            discussion: "Without --password-stdin a strong password is generated and printed once."
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
                guard let id = UUID(uuidString: organization) else { throw ValidationError("--organization must be an organisation id (UUID)") }
                organizationID = id
            }
            let password: String
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
                password = line
            } else {
                password = Self.generatePassword()
            }
            let input = NewUser(login: login, password: password, role: role, organizationId: organizationID)
            do { _ = try input.validated() } catch let invalid as YachaqDomain.ValidationError {
                throw ValidationError(invalid.errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
            }

            let logger = makeLogger("yachaq.user")
            let (endpoint, server) = try database.open(logger: logger)
            defer { try? server?.stop() }
            try Migrator(directory: Migrator.defaultDirectory(), logger: logger).migrate(endpoint)
            var quiet = logger
            quiet.logLevel = .error
            let client = PostgresClient(configuration: try endpoint.clientConfiguration(maximumConnections: 2), backgroundLogger: quiet)
            let hash = try await Passwords.hash(password)
            let user = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                return try await UserStore(client: client, logger: logger).create(input, passwordHash: hash, actor: nil)
            }
            print("Created \(user.role.rawValue) \(user.login) (id \(user.id.uuidString.lowercased())).")
            if !passwordStdin { print("Password (shown only now): \(password)") }
        }

        /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
        static func generatePassword() -> String {
            let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            var generator = SystemRandomNumberGenerator()
            return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }
}
