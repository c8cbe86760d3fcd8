import Foundation
import Testing
import YachaqTestSupport

/// A real Kannel for the tests: bearerbox and smsbox from Debian's `kannel` package, and the fake
/// SMSC's client from `kannel-extras` as the handset (`/usr/lib/kannel/test/fakesmsc`), on free
/// ports of this machine. The handset prints every text it receives; `type(_:from:)` sends one
/// from a phone through a second fake SMSC link, the keypad, which takes no outgoing texts.
/// Incoming texts go to Yachaq's `/v1/sms/inbound` at `yachaqPort`.
final class Kannel: @unchecked Sendable {
    let folder: URL
    let sendsmsPort: Int
    private let ports: (admin: Int, box: Int, handset: Int, keypad: Int)
    private var boxes: [Process] = []
    private var handset: Process?
    private var keypads: [Process] = []
    static let user = "yachaq", password = "kannel-test-password", shortCode = "4636"

    static let fakeSMSC = "/usr/lib/kannel/test/fakesmsc"

    /// Writes the configuration and starts bearerbox, smsbox and the handset; throws with what
    /// to install when Kannel is missing.
    init(yachaqPort: Int, secret: String) throws {
        for program in ["bearerbox", "smsbox"] where Self.path(of: program) == nil {
            throw Missing(description: "\(program) is not installed: apt-get install kannel kannel-extras")
        }
        guard FileManager.default.isExecutableFile(atPath: Self.fakeSMSC) else {
            throw Missing(description: "\(Self.fakeSMSC) is not installed: apt-get install kannel-extras")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kannel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let free = try FreePorts.take(5)
        ports = (free[0], free[1], free[2], free[3])
        sendsmsPort = free[4]
        try configuration(yachaqPort: yachaqPort, secret: secret).write(
            to: folder.appendingPathComponent("kannel.conf"), atomically: true, encoding: .utf8)
        try startBoxes()
    }

    deinit { stop() }

    struct Missing: Error, CustomStringConvertible { let description: String }

    /// Kannel's sendsms URL.
    var sendURL: String { "http://127.0.0.1:\(sendsmsPort)/cgi-bin/sendsms" }

    /// Every text the handset received, as the fake SMSC prints it (`from to text body`), the
    /// parts of a long one put together again (`from to udh <header> data <body, URL-encoded>`).
    func received() -> [String] {
        let log = (try? String(contentsOf: folder.appendingPathComponent("handset.log"), encoding: .utf8)) ?? ""
        var texts: [String] = []
        var parts: [String: [Int: String]] = [:]
        for line in log.split(separator: "\n") {
            guard let start = line.range(of: "Got message "), let open = line[start.upperBound...].firstIndex(of: "<"), line.hasSuffix(">")
            else { continue }
            let fields = line[line.index(after: open)..<line.index(before: line.endIndex)].split(separator: " ", maxSplits: 5)
            guard fields.count >= 4 else { continue }
            let head = "\(fields[0]) \(fields[1]) text "
            if fields[2] == "text" {
                texts.append(head + fields[3...].joined(separator: " "))
                continue
            }
            // A part of a long text: the header's last three bytes are its reference, count and place.
            let header = Self.bytes(fields[3])
            guard fields[2] == "udh", fields.count == 6, header.count >= 6 else { continue }
            let body = String(decoding: Self.bytes(fields[5]), as: UTF8.self)
            let (reference, count, place) = (
                "\(fields[1])/\(header[header.count - 3])", Int(header[header.count - 2]), Int(header[header.count - 1])
            )
            parts[reference, default: [:]][place] = body
            if let whole = parts[reference], whole.count == count {
                texts.append(head + (1...count).compactMap { whole[$0] }.joined())
                parts[reference] = nil
            }
        }
        return texts
    }

    /// The bytes of a URL-encoded field as the fake SMSC prints it (`+` a space, `%XX` a byte).
    static func bytes(_ field: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = field.utf8.startIndex
        let utf8 = field.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let end = utf8.index(index, offsetBy: 3, limitedBy: utf8.endIndex),
                let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<end], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = end
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        return bytes
    }

    /// A phone sends `text` to Yachaq's short code.
    func type(_ text: String, from phone: String) throws {
        keypads.append(
            try run(
                Self.fakeSMSC,
                ["-H", "127.0.0.1", "-r", "\(ports.keypad)", "-i", "0.1", "-m", "1", "\(phone) \(Self.shortCode) text \(text)"],
                output: "keypad-\(keypads.count).log"))
    }

    /// Stops smsbox, then bearerbox; the handset goes with them (its link is gone).
    func stopBoxes() {
        for box in boxes.reversed() { Self.end(box) }
        boxes = []
    }

    /// SIGTERM, and SIGKILL after 3 s: bearerbox waits for its boxes and queues before it exits,
    /// which a test has no reason to wait for.
    private static func end(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(20_000) }
    }

    func startBoxes() throws {
        let configuration = folder.appendingPathComponent("kannel.conf").path
        boxes.append(try run(Self.path(of: "bearerbox") ?? "", [configuration], output: "bearerbox.out"))
        try FreePorts.waitUntilListening(ports.box)
        boxes.append(try run(Self.path(of: "smsbox") ?? "", [configuration], output: "smsbox.out"))
        try FreePorts.waitUntilListening(sendsmsPort)
        if handset?.isRunning != true {
            handset = try run(
                Self.fakeSMSC, ["-H", "127.0.0.1", "-r", "\(ports.handset)", "-m", "0"], output: "handset.log", keepStdinOpen: true)
        }
    }

    func stop() {
        for process in keypads + [handset].compactMap({ $0 }) { Self.end(process) }
        stopBoxes()
        keypads = []
        handset = nil
    }

    private func configuration(yachaqPort: Int, secret: String) -> String {
        let log = folder.path
        return """
            group = core
            admin-port = \(ports.admin)
            admin-password = kannel-admin
            smsbox-port = \(ports.box)
            box-allow-ip = "127.0.0.1"
            log-file = "\(log)/bearerbox.log"
            log-level = 1
            dlr-storage = internal
            sms-resend-freq = 1

            # The handset: receives every text Yachaq sends.
            group = smsc
            smsc = fake
            smsc-id = handset
            port = \(ports.handset)

            # The keypad: phones' texts come in here; it takes only texts routed to it, so none.
            group = smsc
            smsc = fake
            smsc-id = keypad
            allowed-smsc-id = keypad
            port = \(ports.keypad)

            group = smsbox
            bearerbox-host = 127.0.0.1
            bearerbox-port = \(ports.box)
            sendsms-port = \(sendsmsPort)
            log-file = "\(log)/smsbox.log"
            log-level = 1
            mo-recode = true
            # A call to Yachaq (a text in, a report) that fails is made again, every second, 5 times.
            http-request-retry = 5
            http-queue-delay = 1

            group = sendsms-user
            username = \(Self.user)
            password = \(Self.password)
            default-sender = \(Self.shortCode)
            max-messages = 3
            concatenation = true

            group = sms-service
            keyword = default
            catch-all = true
            post-url = "http://127.0.0.1:\(yachaqPort)/v1/sms/inbound?from=%p&id=%I&secret=\(secret)"
            max-messages = 0

            """
    }

    private func run(_ program: String, _ arguments: [String], output: String, keepStdinOpen: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let file = folder.appendingPathComponent(output)
        if !FileManager.default.fileExists(atPath: file.path) { FileManager.default.createFile(atPath: file.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()  // a box started again adds to its log
        process.standardOutput = handle
        process.standardError = handle
        // The handset reads texts to send from its standard input and stops at its end.
        process.standardInput = keepStdinOpen ? Pipe() : FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func path(of program: String) -> String? {
        (["/usr/sbin", "/usr/bin", "/sbin"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init))
            .map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Ports nobody listens on, for the test's own servers.
enum FreePorts {
    static func take(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        return try (0..<count).map { _ in
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            sockets.append(socket)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
                }
            }
            guard bound else { throw Kannel.Missing(description: "no free port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    /// Waits until something accepts connections on `port` (Kannel's boxes take a moment).
    static func waitUntilListening(_ port: Int) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(socket)
            if connected { return }
            usleep(50_000)
        }
        throw Kannel.Missing(description: "nothing listens on port \(port) after 60 s")
    }
}
