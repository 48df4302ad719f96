import Hummingbird
import NIOCore

/// The request context of the imaging face: Hummingbird's core storage and the peer address of the connection.
///
/// Orthanc records the client address of each REST upload as the `RemoteIP` metadata (metadata type 11); the
/// address is read once from the channel when the request starts.
struct OrthancRequestContext: RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The client address as Orthanc writes it in `RemoteIP`: dotted IPv4, or IPv6 in the text form of
    /// `inet_ntop` (RFC 5952: `::1`, `::ffff:10.0.0.1`), without brackets or port.
    ///
    /// A connection without an IP peer (a Unix socket, or one already closed) gives an empty string.
    var remoteIP: String {
        Self.remoteIP(of: remoteAddress)
    }

    static func remoteIP(of address: SocketAddress?) -> String {
        switch address {
        case .v4, .v6: address?.ipAddress ?? ""
        case .unixDomainSocket, nil: ""
        }
    }
}
