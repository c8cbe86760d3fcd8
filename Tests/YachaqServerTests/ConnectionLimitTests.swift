import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import YachaqServer
import YachaqTestSupport

/// Connections that hold a file descriptor without asking anything are closed, and no address
/// (nor a crowd) can open more than its share (issue 27): over real sockets to a live server.
@Suite struct ConnectionLimitTests {
    static let liveCheck = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"

    /// Half a request head, then nothing: closed after the idle timeout, as is a kept-alive
    /// connection after its answer. (Waited for, not timed: the test fails only if they stay.)
    @Test func connectionsWithoutARequestInProgressAreClosedWhenIdle() async throws {
        var configuration = roomyConfiguration
        configuration.idleTimeout = .milliseconds(300)
        try await withApp(on: try await TestDatabase.fresh(), configuration: configuration, testing: .live) { client in
            let port = try #require(client.port)
            let halfOpen = try RawConnection(port: port)
            await halfOpen.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n")
            #expect(await halfOpen.isClosedByServer(), "a head never finished")

            let keptAlive = try RawConnection(port: port)
            await keptAlive.send(Self.liveCheck)
            #expect(await keptAlive.response()?.hasPrefix("HTTP/1.1 200") == true)
            #expect(await keptAlive.isClosedByServer(), "idle after its answer")
        }
    }

    /// Two connections an address and four in all (the test client's own among them): past
    /// either, a new connection is closed at once, before it is read; a trusted proxy counts
    /// only toward the total; a closed connection gives its place back.
    @Test func pastEitherCapANewConnectionIsClosedAtOnce() async throws {
        var configuration = roomyConfiguration
        configuration.connectionLimits = .init(total: 4, perAddress: 2)
        configuration.trustedProxies = ["127.0.0.9"]
        try await withApp(on: try await TestDatabase.fresh(), configuration: configuration, testing: .live) { client in
            let port = try #require(client.port)
            // The test client connects as the server starts: answered, it is counted.
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            /// A connection from `address` that the server has answered, so it is counted.
            func served(from address: String) async throws -> RawConnection? {
                let connection = try RawConnection(port: port, from: address)
                await connection.send(Self.liveCheck)
                return await connection.response()?.hasPrefix("HTTP/1.1 200") == true ? connection : nil
            }
            var first = try await served(from: "127.0.0.2")
            #expect(first != nil)
            let second = try #require(try await served(from: "127.0.0.2"))
            let third = try RawConnection(port: port, from: "127.0.0.2")
            await third.send(Self.liveCheck)
            #expect(await third.isClosedByServer(), "a third from one address")

            let proxied = try #require(try await served(from: "127.0.0.9"), "a proxy, within the total")
            let fifth = try RawConnection(port: port, from: "127.0.0.3")
            await fifth.send(Self.liveCheck)
            #expect(await fifth.isClosedByServer(), "a fifth in all")

            // One closes: its place is given back once the server has seen it close.
            first = nil
            #expect(try await eventually { try await served(from: "127.0.0.3") != nil }, "a place given back")
            _ = (first, second, proxied)
        }
    }

    /// The counting itself: caps per address and in all, exemptions, places given back.
    @Test func countsOpenConnectionsPerAddressAndInAll() {
        let limits = ConnectionLimits(.init(total: 3, perAddress: 2), exempt: ["10.0.0.1"])
        #expect(limits.admit("a") && limits.admit("a") && !limits.admit("a"))
        #expect(limits.admit("10.0.0.1") && !limits.admit("b") && !limits.admit("10.0.0.1"))
        limits.release("10.0.0.1")
        #expect(limits.admit("b") && limits.count(from: "b") == (3, 1))
        limits.release("a")
        limits.release("a")
        #expect(limits.count(from: "a") == (1, 0) && limits.admit("a"))
        #expect(ConnectionLimits.Limits(total: 4096, perAddress: 256).fitting(openFiles: 1024) == .init(total: 768, perAddress: 256))
        #expect(ConnectionLimits.Limits().fitting(openFiles: 100).total == 1)
    }
}
