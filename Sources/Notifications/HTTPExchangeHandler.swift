import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

/// One request written to a connection, and the promise its response completes.
struct HTTPExchange: Sendable {
    let request: HTTPNotificationRequest
    /// When the whole exchange must be over; past it the connection closes.
    let deadline: NIODeadline
    let promise: EventLoopPromise<HTTPExchangeResponse>
}

/// The last handler of a client connection: reports when the connection is ready (after the TLS handshake, for
/// HTTPS), writes each ``HTTPExchange`` as request parts and completes its promise from the response, as
/// ``HTTPExchangeStateMachine`` decides.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private var stateMachine: HTTPExchangeStateMachine
    private var establishment: EventLoopPromise<Void>?
    private let establishmentDeadline: NIODeadline
    private var promise: EventLoopPromise<HTTPExchangeResponse>?
    private var deadlineTask: Scheduled<Void>?

    /// A handler for a connection that is ready at once (`establishment` is `nil`), or once the TLS handshake
    /// completes, which succeeds `establishment`; past `deadline` the establishment fails and the connection
    /// closes.
    init(establishment: EventLoopPromise<Void>?, deadline: NIODeadline) {
        self.stateMachine = HTTPExchangeStateMachine(establishing: establishment != nil)
        self.establishment = establishment
        self.establishmentDeadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard establishment != nil else { return }
        scheduleDeadline(establishmentDeadline, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The pipeline is torn down after a close: whatever still waits learns that the connection is gone.
        perform(stateMachine.connectionClosed(), context: context, mayClose: false)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            perform(stateMachine.handshakeCompleted(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise writePromise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        if let error = stateMachine.requestWritten() {
            exchange.promise.fail(error)
            writePromise?.fail(error)
            return
        }
        promise = exchange.promise
        scheduleDeadline(exchange.deadline, context: context)
        context.write(wrapOutboundOut(.head(exchange.request.head)), promise: nil)
        if exchange.request.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(exchange.request.body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: writePromise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            perform(
                stateMachine.receivedHead(statusCode: Int(head.status.code), keepsAlive: head.isKeepAlive),
                context: context)
        case .body(let part):
            perform(stateMachine.receivedBody(byteCount: part.readableBytes), context: context)
        case .end:
            perform(stateMachine.receivedEnd(), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(stateMachine.connectionClosed(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A peer that closes without TLS close_notify once the handshake is done: the close that follows tells a
        // complete response (a body delimited by the close) from a truncated one.
        if case .uncleanShutdown = error as? NIOSSLError, establishment == nil { return }
        perform(stateMachine.errorCaught(error), context: context)
    }

    private func scheduleDeadline(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        deadlineTask = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            perform(stateMachine.timedOut(), context: context)
        }
    }

    private func perform(
        _ action: HTTPExchangeStateMachine.Action, context: ChannelHandlerContext, mayClose: Bool = true
    ) {
        switch action {
        case .none:
            break
        case .established:
            deadlineTask?.cancel()
            deadlineTask = nil
            establishment?.succeed()
            establishment = nil
        case .establishmentFailed(let error):
            deadlineTask?.cancel()
            deadlineTask = nil
            if mayClose { context.close(promise: nil) }
            establishment?.fail(error)
            establishment = nil
        case .complete(let result, let closeConnection):
            deadlineTask?.cancel()
            deadlineTask = nil
            let promise = self.promise
            self.promise = nil
            if closeConnection && mayClose { context.close(promise: nil) }
            promise?.completeWith(result.mapError { $0 as any Error })
        case .closeConnection:
            if mayClose { context.close(promise: nil) }
        }
    }
}
