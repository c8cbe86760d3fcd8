import Foundation
import HTTPTypes
import Hummingbird

/// Who sent a request, as far as it can be told: the peer's IP address, or, when the peer
/// is a reverse proxy we trust, the nearest address in its `X-Forwarded-For` that is not
/// one of ours (entries further left are the client's to forge).
public enum ClientAddress {
    /// The name of a peer without an address: the in-process test client.
    static let local = "local"
    /// The same, for configurations made outside this module (tests' allowed gateway addresses).
    public static let localName = local

    static func of(_ request: Request, peer: String?, trustedProxies: Set<String>) -> String {
        var address = peer ?? local
        guard trustedProxies.contains(address), let forwarded = request.headers[.xForwardedFor] else { return address }
        for hop in forwarded.split(separator: ",").reversed() {
            address = hop.trimmingCharacters(in: .whitespaces)
            if !trustedProxies.contains(address) { break }
        }
        return String(address.prefix(64))
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
