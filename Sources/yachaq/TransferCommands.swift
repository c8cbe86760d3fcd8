import ArgumentParser
import Foundation
import Logging
import YachaqDomain
import YachaqStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import records from files.",
        subcommands: [Providers.self]
    )

    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import providers from a CSV file (layout: README, \"Importing providers\").",
            discussion: "Every row is checked; bad rows are listed with their line numbers and the good ones imported in one transaction."
        )

        @Argument(help: "The CSV file.")
        var file: String

        @Flag(help: "Import nothing when any row is bad.")
        var allOrNothing = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read \(file) as UTF-8 text")
            }
            let logger = makeLogger("yachaq.import")
            let (report, bar) = try await database.withMigratedDatabase(logger: logger) { client in
                let bar = ProgressBar()  // from here: reading, checking and writing, not the database's start
                let reading = ProviderCSV.read(try CSVText.records(text), codes: try await ReferenceStore(database: client).codes())
                let report = try await ProviderStore(database: client, logger: logger)
                    .importCSV(reading, allOrNothing: allOrNothing, actor: nil) { bar.update($0, of: $1) }
                return (report, bar)
            }
            for (line, reason) in report.refused { print("line \(line): \(reason)") }
            let rate = Double(report.imported) / bar.elapsedSeconds
            print(
                "Imported \(report.imported) of \(report.rows) rows in \(String(format: "%.1f", bar.elapsedSeconds)) s "
                    + "(\(Int(rate)) rows/s); \(report.refused.count) refused."
            )
            if !report.refused.isEmpty && allOrNothing { print("Nothing was imported (--all-or-nothing).") }
            if !report.refused.isEmpty { throw ExitCode(2) }
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export records to files.",
        subcommands: [Providers.self, Contracts.self, Payments.self, OCDSPackage.self]
    )

    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every provider as CSV, in the layout `yachaq import providers` reads."
        )

        @OptionGroup var destination: ExportDestination
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await destination.export("providers", database: database) { client, logger, write in
                try await ProviderStore(database: client, logger: logger).exportCSV(write: write)
            }
        }
    }

    struct Contracts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every contract as CSV for accounting: terms, funding and paid per kind, balance (céntimos)."
        )

        @OptionGroup var destination: ExportDestination
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await destination.export("contracts", database: database) { client, logger, write in
                try await AccountingExport(database: client, logger: logger).contracts(write: write)
            }
        }
    }

    struct Payments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every payment and correction as CSV for accounting, oldest first (céntimos)."
        )

        @OptionGroup var destination: ExportDestination
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await destination.export("payments", database: database) { client, logger, write in
                try await AccountingExport(database: client, logger: logger).payments(write: write)
            }
        }
    }
}

extension ExportCommand {
    struct OCDSPackage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ocds",
            abstract: "Write the contracts (all but drafts) as an OCDS 1.1 release package, streamed.",
            discussion: "The ocid prefix is YACHAQ_OCID_PREFIX's. National ids and phone numbers are never in it."
        )

        @Option(help: "Contracts starting on or after this date (2026-01-01).") var from: String?
        @Option(help: "Contracts starting on or before this date.") var to: String?
        @OptionGroup var destination: ExportDestination
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let from = try from.map { try Self.date($0, "--from") }, to = try to.map { try Self.date($0, "--to") }
            try await destination.export("contracts as OCDS releases", database: database) { client, logger, write in
                try await OCDSExport(database: client, logger: logger, prefix: Settings.process.ocidPrefix)
                    .package(from: from, to: to, uri: "urn:yachaq:export:ocds", write: write)
            }
        }

        static func date(_ text: String, _ option: String) throws -> CalendarDate {
            guard let date = CalendarDate(text) else { throw ValidationError("\(option): a date is written 2026-03-01") }
            return date
        }
    }
}

/// Where an export goes: a file, or standard output.
struct ExportDestination: ParsableArguments {
    @Option(help: "File to write (default: standard output).")
    var output: String?

    /// Runs `body` on the migrated database with a writer to the destination, then reports
    /// the count when writing to a file.
    func export(
        _ what: String, database: DatabaseOptions,
        _ body: @Sendable (Database, Logger, (String) throws -> Void) async throws -> Int
    ) async throws {
        let logger = makeLogger("yachaq.export")
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let file = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let count = try await database.withMigratedDatabase(logger: logger) { client in
            try await body(client, logger) { line in try handle.write(contentsOf: Data(line.utf8)) }
        }
        try handle.close()
        if let output { print("Exported \(count) \(what) to \(output).") }
    }
}
