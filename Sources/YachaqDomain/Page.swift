/// One page of a list: `{"items": [...], "next_cursor": null | "..."}`.
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    private enum CodingKeys: String, CodingKey { case items, nextCursor }
}

/// `?limit=` as the API defines it: 50 when absent, at most 200.
public enum PageLimit {
    public static let `default` = 50
    public static let maximum = 200
}
