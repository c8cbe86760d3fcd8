import Foundation
import Logging
import Synchronization
import Testing

@testable import yachaq

@Suite struct JSONLogHandlerTests {
    /// One JSON object per line, every metadata value a field, hostile text escaped.
    @Test func writesOneParsableObjectPerLine() throws {
        let lines = Mutex<[Data]>([])
        var handler = JSONLogHandler(label: "yachaq")
        handler.output = { line in lines.withLock { $0.append(line) } }
        handler.metadata["hb.request.id"] = "abc123"
        var logger = Logger(label: "yachaq", factory: { _ in handler })
        logger.logLevel = .info
        logger.info("payment recorded \"quoted\"\nsecond line", metadata: ["amount_cents": "1500", "message": "not the message"])
        logger.debug("below the level")

        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == UInt8(ascii: "\n") && line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: String])
        #expect(object["message"] == "payment recorded \"quoted\"\nsecond line")
        #expect(object["level"] == "info" && object["label"] == "yachaq")
        #expect(object["hb.request.id"] == "abc123" && object["amount_cents"] == "1500")
        #expect(object["time"].flatMap { try? Date($0, strategy: JSONLogHandler.time) } != nil)
    }
}
