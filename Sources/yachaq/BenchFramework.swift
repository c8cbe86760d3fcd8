import ArgumentParser
import Hummingbird

extension Bench {
    /// The framework's own ceiling, for `Benchmarks/http_bench.py`: what Hummingbird answers
    /// on this machine with nothing of Yachaq's in the way (no middleware, no database), so
    /// that a path's speed reads as a share of it as well as of PostgreSQL's.
    struct Framework: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A bare Hummingbird server: GET /plain answers \"ok\" as plain text, and nothing else runs.")

        @Option(help: "Port to listen on, on 127.0.0.1.") var port = 8098

        func run() async throws {
            let router = Router()
            router.get("/plain") { _, _ in "ok" }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
            try await app.runService()
        }
    }
}
