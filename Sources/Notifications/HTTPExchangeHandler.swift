import NIOCore
import NIOHTTP1
import NIOSSL

/// One request written to a connection, and the promise its response completes.
struct HTTPExchange: Sendable {
    let request: HTTPNotificationRequest
    /// When the whole exchange must be over; past it the connection closes.
    let deadline: NIODeadline
    let promise: EventLoopPromise<HTTPExchangeResponse>
}

/// The last handler of a client connection: writes each ``HTTPExchange`` as request parts and completes its
/// promise from the response, as ``HTTPExchangeStateMachine`` decides.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private var stateMachine = HTTPExchangeStateMachine()
    private var promise: EventLoopPromise<HTTPExchangeResponse>?
    private var deadlineTask: Scheduled<Void>?

    init() {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise writePromise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        if let error = stateMachine.requestWritten() {
            exchange.promise.fail(error)
            writePromise?.fail(error)
            return
        }
        promise = exchange.promise
        deadlineTask = context.eventLoop.assumeIsolated().scheduleTask(deadline: exchange.deadline) { [self] in
            perform(stateMachine.timedOut(), context: context)
        }
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
        // A peer that closes without TLS close_notify: the close that follows tells a complete response (a body
        // delimited by the close) from a truncated one.
        if case .uncleanShutdown = error as? NIOSSLError { return }
        perform(stateMachine.errorCaught(error), context: context)
    }

    private func perform(_ action: HTTPExchangeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .complete(let result, let closeConnection):
            deadlineTask?.cancel()
            deadlineTask = nil
            let promise = self.promise
            self.promise = nil
            if closeConnection { context.close(promise: nil) }
            promise?.completeWith(result.mapError { $0 as any Error })
        case .closeConnection:
            context.close(promise: nil)
        }
    }
}
