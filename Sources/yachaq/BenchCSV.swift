import ArgumentParser
import Foundation
import YachaqDomain
import YachaqStore

extension Bench {
    /// The CSV part of `import providers` and `export providers`, without the database: how
    /// long reading, checking and writing a file take.
    struct CSVFile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csv",
            abstract: "Time reading, checking and writing a providers CSV file (no database).",
            discussion: "Make one with Benchmarks/make_providers_csv.py or `yachaq export providers`."
        )

        @Argument(help: "A providers CSV file.") var file: String
        @Option(help: "Runs; the best is printed.") var runs = 3

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let text = String(decoding: data, as: UTF8.self)
            // Every code the file names counts as known, so checking costs what it costs in
            // an import of a good file.
            let fields = try CSVText.records(text).flatMap(\.fields)
            let items = fields.flatMap { $0.split(separator: ";") }.compactMap { $0.split(separator: ":").first.map(String.init) }
            let codes = ReferenceCodes(ubigeos: Set(fields), languages: Set(items), skills: Set(items))
            var read = Double.infinity, check = Double.infinity, write = Double.infinity
            var records: [(line: Int, fields: [String])] = []
            for _ in 0..<runs {
                var start = Date()
                records = try CSVText.records(text)
                read = min(read, Date().timeIntervalSince(start))
                start = Date()
                _ = ProviderCSV.read(records, codes: codes)
                check = min(check, Date().timeIntervalSince(start))
                start = Date()
                _ = CSVText.text(records.map(\.fields))
                write = min(write, Date().timeIntervalSince(start))
            }
            let rows = records.count
            func line(_ what: String, _ seconds: Double) -> String {
                String(format: "%@: %.3f s (%.0f rows/s)", what, seconds, Double(rows) / seconds)
            }
            print("\(rows) records, \(data.count) bytes, best of \(runs)")
            print(line("read (CSVText.records)", read))
            print(line("check (ProviderCSV.read)", check))
            print(line("write (CSVText.text)", write))
        }
    }
}
