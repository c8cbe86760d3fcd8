import Foundation
import Logging
import YachaqDomain

/// `LOG_FORMAT=json`: one JSON object per line on standard error, for log collectors
/// (Loki, CloudWatch, Elasticsearch): `time`, `level`, `label`, `message`, `source`, and every
/// metadata value as a field of its own; `hb.request.id` ties a request's lines together.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    /// Where lines go: standard error, one write(2) per line, so lines of threads do not mix.
    var output: @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        var json = JSONText(capacity: 256)
        json.object { json in
            json.key("time")
            json.string(Date().formatted(Self.time))
            json.key("level")
            json.string(event.level.rawValue)
            json.key("label")
            json.string(label)
            json.key("message")
            json.string(event.message.description)
            json.key("source")
            json.string(event.source)
            for (key, value) in all.sorted(by: { $0.key < $1.key }) where !["time", "level", "label", "message", "source"].contains(key) {
                json.key(key)
                json.string(value.description)
            }
        }
        var line = json.bytes
        line.append(UInt8(ascii: "\n"))
        output(Data(line))
    }
}
