package import Hummingbird
package import NIOCore

/// The request context of the broker's routes: Hummingbird's core context plus the client's address, which
/// Orion's log lines show in `from=`.
package struct BrokerRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
