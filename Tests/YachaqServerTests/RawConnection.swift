import Foundation
import Glibc
import YachaqTestSupport

/// A plain TCP connection to the loopback, from a loopback address of the test's choosing
/// (127.0.0.0/8 is all this machine's), for what HummingbirdTesting's client cannot do: send
/// part of a request, hold a connection open, see the server close it. Its socket calls block,
/// so each runs on a thread of its own: blocking the cooperative pool (two threads on two
/// cores) would starve the very server it waits for, and every other test.
final class RawConnection: Sendable {
    private let socket: Int32

    /// Connects to `port` on 127.0.0.1 from `source`.
    init(port: Int, from source: String = "127.0.0.1") throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        // Every read waits at most this long: a hang, not a slow answer.
        var timeout = timeval(tv_sec: Int(Patience.wait.components.seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard Self.call(Glibc.bind, socket, Self.address(source, port: 0)) == 0,
            Self.call(Glibc.connect, socket, Self.address("127.0.0.1", port: port)) == 0
        else {
            close(socket)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(socket) }

    /// Sends `text`, or as much of it as the server takes before it stops reading.
    func send(_ text: String) async { await Self.offThePool { self.sendNow(text) } }

    /// Everything the server sends until it closes the connection.
    func receiveUntilClosed() async -> String { await Self.offThePool { self.receiveUntilClosedNow() } }

    /// One response whose body has a `Content-Length`; nil when the server closed first.
    func response() async -> String? { await Self.offThePool { self.responseNow() } }

    /// Whether the server has closed the connection (or reset it) without sending anything
    /// more, within `Patience.wait`.
    func isClosedByServer() async -> Bool { await Self.offThePool { self.receive() == nil && errno != EAGAIN } }

    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in Thread { continuation.resume(returning: work()) }.start() }
    }

    private func sendNow(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }
            sent += count
        }
    }

    private func receiveUntilClosedNow() -> String {
        var received: [UInt8] = []
        while let chunk = receive() { received += chunk }
        return String(decoding: received, as: UTF8.self)
    }

    private func responseNow() -> String? {
        var received: [UInt8] = []
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let length =
                    text[..<end.lowerBound].split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text[..<end.upperBound].utf8.count >= length { return text }
            }
            guard let chunk = receive() else { return nil }
            received += chunk
        }
    }

    /// What one read brings; nil at the end of the stream, on a reset or after the read timeout.
    private func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        errno = 0
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? Array(buffer[..<count]) : nil
    }

    private static func address(_ host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    private static func call(
        _ function: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32, _ socket: Int32, _ address: sockaddr_in
    ) -> Int32 {
        var address = address
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { function(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

/// One request over a plain TCP socket, and whatever comes back before the server closes.
enum RawHTTP {
    static func exchange(_ request: String, port: Int) async throws -> String {
        let connection = try RawConnection(port: port)
        await connection.send(request)
        return await connection.receiveUntilClosed()
    }
}
