import AsyncHTTPClient
import Foundation
import NIOCore
import YachaqDomain

/// Where and how Yachaq reaches its SMS gateway, and how the gateway reaches Yachaq back.
public struct SMSGatewaySettings: Sendable, Equatable {
    /// Kannel's `sendsms` URL (`http://kannel:13013/cgi-bin/sendsms`).
    public var sendURL: String
    /// A `sendsms-user` of Kannel's configuration.
    public var username: String
    public var password: String
    /// Yachaq's address as the gateway reaches it (`http://yachaq:8080`): delivery reports
    /// come back to `/v1/sms/delivery` there.
    public var callbackURL: String
    /// What the gateway presents on every call to Yachaq (`?secret=` or `X-SMS-Secret`).
    public var secret: String

    public init(sendURL: String, username: String, password: String, callbackURL: String, secret: String) {
        self.sendURL = sendURL
        self.username = username
        self.password = password
        self.callbackURL = callbackURL
        self.secret = secret
    }
}

/// Kannel's HTTP interface for sending (`sendsms`): one GET per text, with a delivery-report
/// URL that Kannel calls as the carrier reports (`%d` is the report's type).
public struct KannelGateway: Sendable {
    public let settings: SMSGatewaySettings
    let client: HTTPClient
    let timeout: TimeAmount

    public init(_ settings: SMSGatewaySettings, client: HTTPClient = Self.client, timeout: TimeAmount = .seconds(10)) {
        self.settings = settings
        self.client = client
        self.timeout = timeout
    }

    /// The process's client for gateways. A refused connection fails the text at once (it is
    /// tried again after its backoff) instead of being retried until the request's deadline,
    /// which is AsyncHTTPClient's default: a gateway that is down would hold each text 10 s.
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The gateway refused the text or could not be reached; the outbox tries again later.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// Hands `text` for `phone` to the gateway; `id` is the outbox row the report names.
    public func send(_ text: SMSText, to phone: String, id: Int64) async throws {
        var request = HTTPClientRequest(url: url(text, to: phone, id: id))
        request.method = .GET
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw Refused(description: "the gateway could not be reached: \(error)")
        }
        let body = String(buffer: try await response.body.collect(upTo: 4096))
        // 202 "0: Accepted for delivery" or "3: Queued for later delivery"; anything else is a refusal.
        guard response.status.code == 202 || response.status.code == 200 else {
            throw Refused(description: "the gateway answered \(response.status.code): \(body.prefix(200))")
        }
    }

    /// The `sendsms` URL for one text. GSM-7 goes as 7-bit text (coding 0), anything else as
    /// UCS-2 (coding 2); Kannel converts from UTF-8 either way. Only the final reports are asked
    /// for (delivered 1, not delivered 2, refused by the carrier 16): the carrier's "accepted"
    /// (8) and "queued" (4) would double the calls back and say nothing staff act on.
    func url(_ text: SMSText, to phone: String, id: Int64) -> String {
        let report = "\(settings.callbackURL)/v1/sms/delivery?id=\(id)&type=%d&secret=\(Self.escaped(settings.secret))"
        let query = [
            ("username", settings.username), ("password", settings.password), ("to", phone), ("text", text.text), ("charset", "UTF-8"),
            ("coding", text.isGSM7 ? "0" : "2"), ("dlr-mask", "19"), ("dlr-url", report),
        ]
        return settings.sendURL + "?" + query.map { "\($0)=\(Self.escaped($1))" }.joined(separator: "&")
    }

    /// Percent-encoded for a query value: everything but unreserved characters.
    static func escaped(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
