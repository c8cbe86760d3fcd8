import Foundation

/// Where a text of the outbox stands.
public enum SMSStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its first try, its next one after a failure, or the end of quiet hours.
    case queued
    /// Claimed by a dispatcher and handed to the gateway.
    case sending
    /// The gateway took it.
    case sent
    /// The carrier reports the phone received it.
    case delivered
    /// Given up: tried as many times as allowed, or the carrier refused it.
    case failed
}

/// One text of the outbox, as staff read it.
public struct SMSMessage: Sendable, Equatable, Codable {
    public let id: Int64
    public let phone: String
    public let kind: String
    public let status: SMSStatus
    public let attempts: Int
    /// What was sent (null until it is).
    public let body: String?
    public let lastError: String?
    public let nextAttemptAt: Date?
    public let sentAt: Date?
    public let deliveredAt: Date?
    public let createdAt: Date

    public init(
        id: Int64, phone: String, kind: String, status: SMSStatus, attempts: Int, body: String?, lastError: String?, nextAttemptAt: Date?,
        sentAt: Date?, deliveredAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.phone = phone
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.body = body
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.sentAt = sentAt
        self.deliveredAt = deliveredAt
        self.createdAt = createdAt
    }

    // Absent values are explicit nulls, as the API promises.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(phone, forKey: .phone)
        try container.encode(kind, forKey: .kind)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(body, forKey: .body)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(sentAt, forKey: .sentAt)
        try container.encode(deliveredAt, forKey: .deliveredAt)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// A text a dispatcher claimed: to whom, its words' kind and values, the recipient's language.
public struct SMSClaim: Sendable, Equatable {
    public let id: Int64
    public let phone: String
    public let kind: String
    public let params: [String: String]
    /// The recipient's display language; nil for a sender Yachaq does not know.
    public let language: String?
    /// Tries so far, this one included.
    public let attempts: Int

    public init(id: Int64, phone: String, kind: String, params: [String: String], language: String?, attempts: Int) {
        self.id = id
        self.phone = phone
        self.kind = kind
        self.params = params
        self.language = language
        self.attempts = attempts
    }
}

/// How the dispatcher paces itself: its retries' backoff and limit, the per-number rate
/// limit, how long a claim lasts, quiet hours.
public struct SMSPacing: Sendable {
    public var batch: Int = 50
    public var maxAttempts: Int = 6
    /// The first retry waits this long, each next one twice the last (30 s, 1 min, 2, 4, 8).
    public var firstBackoff: Duration = .seconds(30)
    public var claimLease: Duration = .seconds(60)
    public var perNumberPerHour: Int = 6
    public var quietHours: QuietHours = QuietHours("21-6")!

    public init() {}

    /// When a text that failed its `attempts`-th try is tried again, or nil when it is given up.
    public func retryDelay(after attempts: Int) -> Duration? {
        guard attempts < maxAttempts else { return nil }
        return firstBackoff * (1 << min(max(attempts - 1, 0), 20))
    }
}
