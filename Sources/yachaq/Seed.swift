import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import YachaqServer
import YachaqSeed
import YachaqStore

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill a database with demo data (--demo), a large benchmark registry (--providers N) or market (--contracts N)."
    )

    @Flag(help: "A believable registry of about 300 talents, organisations and one user per role (passwords printed once).")
    var demo = false

    @Option(help: "Add this many benchmark talents over all districts, written with COPY (e.g. 100000).")
    var providers: Int?

    @Option(
        help: "Add this many benchmark contracts over the registry's talents, with funding, about 5 payments each and ratings (COPY).")
    var contracts: Int?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard demo || providers != nil || contracts != nil else {
            throw ValidationError("say what to seed: --demo, --providers N or --contracts N")
        }
        if let providers, providers < 1 { throw ValidationError("--providers takes a positive number") }
        if let contracts, contracts < 1 { throw ValidationError("--contracts takes a positive number") }
        let logger = makeLogger("yachaq.seed")
        try await database.withMigratedDatabase(logger: logger) { client in
            if demo { try await seedDemo(client, logger: logger) }
            if let providers {
                let bar = ProgressBar()
                let total = try await BulkSeed(database: client, logger: logger).providers(providers) { bar.update($0, of: $1) }
                print(
                    "Added \(providers) providers in \(String(format: "%.1f", bar.elapsedSeconds)) s "
                        + "(\(Int(Double(providers) / bar.elapsedSeconds)) rows/s); the registry has \(total)."
                )
            }
            if let contracts {
                let bar = ProgressBar()
                let total = try await MarketSeed(database: client, logger: logger).contracts(contracts) { bar.update($0, of: $1) }
                print(
                    "Added \(contracts) contracts in \(String(format: "%.1f", bar.elapsedSeconds)) s "
                        + "(\(Int(Double(contracts) / bar.elapsedSeconds)) contracts/s); the market has \(total)."
                )
            }
        }
    }
}

/// Seeds the demo registry and prints the demo accounts.
func seedDemo(_ client: Database, logger: Logger) async throws {
    let accounts = try await DemoSeed(database: client, logger: logger).run { try await PasswordHasher.hash($0) }
    print("Demo data ready. Accounts (passwords shown only now):")
    for account in accounts.logins {
        print(
            "  \(account.role.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) login "
                + "\(account.login.padding(toLength: 12, withPad: " ", startingAt: 0)) password \(account.password)"
        )
    }
    fflush(nil)  // shown now, also when standard output is a file (serve keeps running)
}
