import Foundation
import Hummingbird
import Synchronization
import YachaqStore

/// With a read replica, users read their own writes: a request that writes reads only the
/// primary, and the same signed-in client's reads go to the primary until the replica has
/// replayed past the write (`ReadReplica.serves`). The client is known by its credential
/// (bearer token or session cookie); other processes learn of the write from the
/// `yachaq_wrote` cookie it gets (browsers and cookie-keeping clients, across replicas of the
/// service), this process from its own memory.
struct ReadYourWritesMiddleware<Context: RequestContext>: RouterMiddleware {
    let writes: RecentWrites

    static var cookie: String { "yachaq_wrote" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = RecentWrites.client(of: request)
        guard request.method == .get || request.method == .head else {
            // Anything the write itself reads comes from the primary.
            var response = try await ReadYourWrites.$writtenAt.withValue(.distantFuture) { try await next(request, context) }
            let now = Date()
            if let client { writes.record(client, at: now) }
            let milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded())
            response.headers[values: .setCookie].append("\(Self.cookie)=\(milliseconds); Path=/; Max-Age=60; HttpOnly; SameSite=Lax")
            return response
        }
        let remembered = client.flatMap { writes.last($0) }
        let told = request.cookies[Self.cookie].flatMap { Int64($0.value) }.flatMap(Self.date(milliseconds:))
        let writtenAt = [remembered, told].compactMap { $0 }.max()
        return try await ReadYourWrites.$writtenAt.withValue(writtenAt) { try await next(request, context) }
    }

    /// A cookie's time, when it is one this service could have set: after 1970, and at most a
    /// minute ahead of this clock (another process's clock may be a little ahead); else nil.
    static func date(milliseconds: Int64) -> Date? {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return milliseconds > 0 && date.timeIntervalSinceNow < 60 ? date : nil
    }
}

/// When each client last wrote, in this process; entries older than a minute are dropped
/// once there are many (by then the replica has long caught up, or is no longer used).
final class RecentWrites: Sendable {
    private let times = Mutex<[Int: Date]>([:])
    private let keep: TimeInterval = 60
    private let prunedAbove = 50_000

    /// The credential's hash: a token or a session cookie, never stored as it is.
    static func client(of request: Request) -> Int? {
        let credential = request.headers[.authorization] ?? request.cookies[PageMiddleware.sessionCookie]?.value
        guard let credential, !credential.isEmpty else { return nil }
        var hasher = Hasher()
        hasher.combine(credential)
        return hasher.finalize()
    }

    func record(_ client: Int, at time: Date) {
        times.withLock { times in
            times[client] = time
            if times.count > prunedAbove { times = times.filter { time.timeIntervalSince($0.value) < keep } }
        }
    }

    func last(_ client: Int) -> Date? { times.withLock { $0[client] } }
}
