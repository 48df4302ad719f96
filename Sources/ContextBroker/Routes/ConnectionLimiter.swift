import NIOCore
import Synchronization

/// Orion's `-maxConnections` [1020]: a connection beyond the limit is closed as soon as it is accepted.
///
/// One ``ConnectionLimiter`` counts the server's open connections; each connection gets a
/// ``ConnectionLimiter/Handler`` that counts it in when added to its pipeline and out when removed.
final class ConnectionLimiter: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) { self.maximum = maximum }

    /// The connections counted in and not yet out.
    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Counts a connection in; `false` when that goes beyond the limit (the connection is still counted, and
    /// counted out when it closes).
    func admit() -> Bool { open.wrappingAdd(1, ordering: .relaxed).newValue <= maximum }

    func release() { open.wrappingSubtract(1, ordering: .relaxed) }

    /// The per-connection handler.
    func handler() -> Handler { Handler(limiter: self) }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let limiter: ConnectionLimiter
        private var counted = false

        init(limiter: ConnectionLimiter) { self.limiter = limiter }

        func handlerAdded(context: ChannelHandlerContext) {
            counted = true
            if !limiter.admit() { context.close(promise: nil) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            countOut()
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) { countOut() }

        private func countOut() {
            guard counted else { return }
            counted = false
            limiter.release()
        }
    }
}
