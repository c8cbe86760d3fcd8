import NIOCore
import NIOHTTPTypes
import Synchronization

/// How many connections may be open at once, in all and from one client address. Every
/// connection holds a file descriptor until it closes: without caps, sockets that connect and
/// send nothing (or a header line now and then) fill the process's descriptors, and then no
/// one is answered, not even the database pool. Past a cap a new connection is closed at once,
/// before anything is read from it. Addresses of trusted proxies carry many clients and are
/// held only to the total.
public final class ConnectionLimits: Sendable {
    public struct Limits: Sendable, Equatable {
        public var total: Int
        public var perAddress: Int
        public init(total: Int = Setting.maxConnections.number, perAddress: Int = Setting.maxConnectionsPerAddress.number) {
            self.total = total
            self.perAddress = perAddress
        }

        /// These limits with the total lowered, when it must be, below the process's limit of
        /// open files less `reserve` (the database pool, the listener, the log, the assets).
        public func fitting(openFiles: Int, reserve: Int = 256) -> Limits {
            var fitted = self
            fitted.total = max(1, min(total, openFiles - reserve))
            return fitted
        }
    }

    let limits: Limits
    let exempt: Set<String>
    private let open = Mutex<(total: Int, byAddress: [String: Int])>((0, [:]))

    /// `exempt`: addresses counted only toward the total (trusted proxies).
    public init(_ limits: Limits, exempt: Set<String> = []) {
        self.limits = limits
        self.exempt = exempt
    }

    /// Counts a new connection from `address` when both caps allow it; false when not.
    func admit(_ address: String) -> Bool {
        let capped = !exempt.contains(address)
        return open.withLock { open in
            guard open.total < limits.total, !capped || open.byAddress[address, default: 0] < limits.perAddress else { return false }
            open.total += 1
            if capped { open.byAddress[address, default: 0] += 1 }
            return true
        }
    }

    /// A connection `admit` counted has closed.
    func release(_ address: String) {
        open.withLock { open in
            open.total -= 1
            guard !exempt.contains(address) else { return }
            let left = open.byAddress[address, default: 1] - 1
            open.byAddress[address] = left == 0 ? nil : left
        }
    }

    /// Open connections, in all and from `address`.
    func count(from address: String) -> (total: Int, address: Int) {
        open.withLock { ($0.total, $0.byAddress[address, default: 0]) }
    }

    /// One handler for each new connection, in its pipeline (see `buildApplication`).
    func handler() -> ConnectionLimitHandler { ConnectionLimitHandler(limits: self) }
}

/// Admits its connection when it joins the pipeline (the connection is active by then) and
/// releases it when the connection's pipeline is torn down; closes it at once when refused.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limits: ConnectionLimits
    private var admitted: String?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // A Unix socket has no IP address; all such connections count as one address.
        let address = context.channel.remoteAddress?.ipAddress ?? "unix"
        if limits.admit(address) {
            admitted = address
        } else {
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let admitted { limits.release(admitted) }
        admitted = nil
    }
}
