/// How long tests wait for what they do not test. On a 2-core machine running several test
/// cases at once, beside a second suite or a compiler, a lease, a request or a replica's
/// replay can take seconds, never minutes: these limits end a test that hangs, not one that
/// is slow. Tests about a wait or a deadline set theirs on purpose, with a server of their own.
public enum Patience {
    /// A database connection, a statement, a request: long enough not to be what a test meets.
    public static let wait: Duration = .seconds(120)
    /// How long `eventually` polls before it gives up.
    public static let condition: Duration = .seconds(120)
}

/// Waits for a condition rather than for a time: polls `condition` every `interval` until it
/// holds, for at most `Patience.condition`. True as soon as it holds; false if it never did.
public func eventually(every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + Patience.condition
    while try await !condition() {
        guard clock.now < deadline else { return false }
        try await Task.sleep(for: interval)
    }
    return true
}
