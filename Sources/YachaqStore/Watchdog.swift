import NIOCore
import NIOPosix
import Synchronization

/// Deadlines for work that nearly always ends in time (a request, the wait for a pooled
/// connection), kept in one table and checked by one timer. A sleeping task beside each piece
/// of work cost two more tasks, a timer and the wake-ups to cancel them on every request and
/// every lease (BENCHMARKS.md, issue 33); here watching costs a row in a table.
///
/// The timer runs on a NIO event loop every `tick` while anything is watched, and not at all
/// when nothing is: an expiry comes between its deadline and one tick later.
public final class Watchdog: Sendable {
    /// The service's watchdog: a request's deadline and a lease's wait are both watched here.
    public static let shared = Watchdog()

    public struct Ticket: Sendable {
        fileprivate let id: UInt64
    }

    private struct Watched {
        let deadline: NIODeadline
        let onExpiry: @Sendable () -> Void
    }

    private struct State {
        var watched: [UInt64: Watched] = [:]
        var expired: Set<UInt64> = []
        var nextID: UInt64 = 0
        var ticking = false
    }

    private let state = Mutex(State())
    private let tick: TimeAmount

    public init(tick: Duration = .milliseconds(20)) {
        self.tick = .nanoseconds(max(1_000_000, tick.saturating(per: 1_000_000_000)))
    }

    /// Calls `onExpiry` once `duration` has passed, unless the ticket is released before.
    /// Release every ticket, expired or not: only then does the table forget it.
    public func watch(for duration: Duration, onExpiry: @escaping @Sendable () -> Void) -> Ticket {
        let deadline = NIODeadline.now() + .nanoseconds(duration.saturating(per: 1_000_000_000))
        let (ticket, start) = state.withLock { state in
            state.nextID += 1
            state.watched[state.nextID] = Watched(deadline: deadline, onExpiry: onExpiry)
            defer { state.ticking = true }
            return (Ticket(id: state.nextID), !state.ticking)
        }
        if start { scheduleSweep() }
        return ticket
    }

    /// Stops watching; true when the ticket had expired already (its `onExpiry` ran or is running).
    @discardableResult
    public func release(_ ticket: Ticket) -> Bool {
        state.withLock { state in
            state.watched[ticket.id] = nil
            return state.expired.remove(ticket.id) != nil
        }
    }

    private func scheduleSweep() {
        MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: tick) { self.sweep() }
    }

    /// Expires what is due; goes on ticking while anything is watched.
    private func sweep() {
        let now = NIODeadline.now()
        let (due, again): ([@Sendable () -> Void], Bool) = state.withLock { state in
            var due: [@Sendable () -> Void] = []
            for (id, watched) in state.watched where watched.deadline <= now {
                state.watched[id] = nil
                state.expired.insert(id)
                due.append(watched.onExpiry)
            }
            state.ticking = !state.watched.isEmpty
            return (due, state.ticking)
        }
        for onExpiry in due { onExpiry() }
        if again { scheduleSweep() }
    }
}
