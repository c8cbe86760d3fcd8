import Synchronization
import Testing
import YachaqStore

/// The one timer behind every deadline: what expires is called back once, what is released in time never.
@Suite struct WatchdogTests {
    @Test func whatOutlivesItsDeadlineIsCalledBackOnce() async throws {
        let watchdog = Watchdog(tick: .milliseconds(5))
        let calls = Atomic(0)
        let ticket = watchdog.watch(for: .milliseconds(1)) { calls.add(1, ordering: .relaxed) }
        try await Self.waitUntil { calls.load(ordering: .relaxed) > 0 }
        try await Task.sleep(for: .milliseconds(20))  // four more ticks: no second call
        #expect(watchdog.release(ticket))
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    /// Released in time, a ticket says so, and is not called back when later ones expire.
    @Test func whatIsReleasedInTimeIsNeverCalledBack() async throws {
        let watchdog = Watchdog(tick: .milliseconds(5))
        let calls = Atomic(0)
        let ticket = watchdog.watch(for: .seconds(3600)) { calls.add(1, ordering: .relaxed) }
        #expect(!watchdog.release(ticket))
        let sweptPast = watchdog.watch(for: .zero) { calls.add(10, ordering: .relaxed) }
        try await Self.waitUntil { calls.load(ordering: .relaxed) > 0 }
        #expect(watchdog.release(sweptPast))
        #expect(calls.load(ordering: .relaxed) == 10)
    }

    /// Polls `condition` for up to a minute (a broken watchdog fails the test, not hangs it).
    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<60_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
    }
}
