import NIOCore
import NIOHTTP1

/// Installs a ``ReasonPhraseRewriter`` right after the HTTP/1 response encoder when Hummingbird adds it to a
/// connection's pipeline; it passes every event on.
///
/// Hummingbird adds its extra handlers after the conversion from `HTTPTypes` to NIO's HTTP/1 types, where the
/// phrase is already lost, so the rewriter has to be placed nearer the socket.
final class ReasonPhraseInstaller: ChannelInboundHandler, RemovableChannelHandler {
    /// Whatever the connection reads passes through untouched.
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        let operations = context.pipeline.syncOperations
        guard let encoder = try? operations.context(handlerType: HTTPResponseEncoder.self) else { return }
        try? operations.addHandler(ReasonPhraseRewriter(), position: .after(encoder.handler))
    }
}
