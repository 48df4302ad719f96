/// The far end of an HTTP connection: what a kept connection is reused for (RFC 9112 §9.3, a connection is
/// reused for requests to the same origin).
struct HTTPPeer: Hashable, Sendable {
    /// Plain HTTP or HTTP over TLS.
    enum Scheme: Hashable, Sendable {
        case http
        case https

        /// 80 or 443 (RFC 9110 §4.2.1 and §4.2.2).
        var defaultPort: Int {
            switch self {
            case .http: 80
            case .https: 443
            }
        }
    }

    let scheme: Scheme
    /// The host name or IP address, without the brackets of an IPv6 literal.
    let host: String
    let port: Int
}
