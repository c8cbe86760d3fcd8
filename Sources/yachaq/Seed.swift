import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import YachaqActions
import YachaqServer
import YachaqSeed
import YachaqStore

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Fill a database with demo data (--demo), a large benchmark registry (--providers N) or market (--contracts N), or both at "
            + "national scale (--scale national)."
    )

    enum Scale: String, ExpressibleByArgument, CaseIterable {
        /// 100,000 talents, 1,000,000 contracts with about 5,000,000 payments, their ratings
        /// and requests, and the 50 benchmark requests.
        case national
    }

    @Option(help: "national: 100,000 talents, 1,000,000 contracts (about 5,000,000 payments), ratings, requests (COPY, minutes).")
    var scale: Scale?

    @Option(help: "Seed of the benchmark data's draws: the same seed, the same registry and market.")
    var seed: UInt64 = 1

    @Flag(help: "A believable registry of about 300 talents, organisations and one user per role (passwords printed once).")
    var demo = false

    @Option(help: "Add this many benchmark talents over all districts, written with COPY (e.g. 100000).")
    var providers: Int?

    @Option(
        help: "Add this many benchmark contracts over the registry's talents, with funding, about 5 payments each and ratings (COPY).")
    var contracts: Int?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard demo || providers != nil || contracts != nil || scale != nil else {
            throw ValidationError("say what to seed: --demo, --providers N, --contracts N or --scale national")
        }
        let providers = providers ?? (scale == .national ? 100_000 : nil)
        let contracts = contracts ?? (scale == .national ? 1_000_000 : nil)
        if let providers, providers < 1 { throw ValidationError("--providers takes a positive number") }
        if let contracts, contracts < 1 { throw ValidationError("--contracts takes a positive number") }
        let logger = makeLogger("yachaq.seed")
        try await database.withMigratedDatabase(logger: logger) { client in
            if demo { try await seedDemo(client, logger: logger) }
            if let providers {
                let bar = ProgressBar()
                let total = try await BulkSeed(database: client, logger: logger).providers(providers, seed: 100_000 &+ seed &- 1) {
                    bar.update($0, of: $1)
                }
                print(
                    "Added \(providers) providers in \(String(format: "%.1f", bar.elapsedSeconds)) s "
                        + "(\(Int(Double(providers) / bar.elapsedSeconds)) rows/s); the registry has \(total)."
                )
            }
            if let contracts {
                let bar = ProgressBar()
                let total = try await MarketSeed(database: client, logger: logger).contracts(contracts, seed: 2_026_011 &+ seed &- 1) {
                    bar.update($0, of: $1)
                }
                print(
                    "Added \(contracts) contracts in \(String(format: "%.1f", bar.elapsedSeconds)) s "
                        + "(\(Int(Double(contracts) / bar.elapsedSeconds)) contracts/s); the market has \(total)."
                )
            }
            if scale == .national {
                _ = try await BulkSeed(database: client, logger: logger).benchmarkRequests(50)
                print(try await nationalCounts(client))
            }
        }
    }
}

/// What the national registry holds, one line.
private func nationalCounts(_ client: Database) async throws -> String {
    let tables = ["providers", "contracts", "payments", "ratings", "service_requests", "contract_transitions"]
    var counts: [String] = []
    for table in tables {
        let count = try await client.query("SELECT count(*)::bigint FROM \(unescaped: table)").collect().first?.decode(Int64.self) ?? 0
        counts.append("\(count) \(table)")
    }
    return "National registry: " + counts.joined(separator: ", ") + "."
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
