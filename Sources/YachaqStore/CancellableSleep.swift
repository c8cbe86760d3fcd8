import NIOCore
import NIOPosix

/// Sleeps like `Task.sleep(for:)`, for a wait that is often cancelled (the replica's lag poll
/// when the service stops). Deadlines beside every request or lease are `Watchdog`'s.
///
/// A cancelled `Task.sleep` (Swift 6.3, Linux) stays scheduled until the time it was set for,
/// holding the sleeping task's memory: with a 10 s deadline beside every request, the service
/// at 9,000 requests/s carried ninety thousand dead timers, and its RSS grew 47 → 308 MB in
/// 30 s of load. This timer lives on a NIO event loop, whose cancellation removes it at once.
public func sleepCancellably(for duration: Duration) async throws {
    let scheduled = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(duration.saturating(per: 1_000_000_000))) {}
    do {
        try await withTaskCancellationHandler {
            try await scheduled.futureResult.get()
        } onCancel: {
            scheduled.cancel()
        }
    } catch EventLoopError.cancelled {
        throw CancellationError()
    }
}

extension Duration {
    /// The duration in units of which a second has `perSecond` (1,000 for milliseconds), at
    /// most `Int64.max`: a timeout configured far beyond any real wait must not trap.
    public func saturating(per perSecond: Int64) -> Int64 {
        let (whole, overflow) = components.seconds.multipliedReportingOverflow(by: perSecond)
        let fraction = components.attoseconds / (1_000_000_000_000_000_000 / perSecond)
        return overflow ? .max : whole.addingReportingOverflow(fraction).overflow ? .max : whole + fraction
    }
}
