public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Sends notifications as HTTP/1.1 requests (RFC 9112), over TLS for `https` URLs, on SwiftNIO.
///
/// Any response, whatever its status, is ``DeliveryOutcome/delivered(statusCode:)``: Orion counts a notification
/// that its receiver answered as sent and records the status. Everything else is
/// ``DeliveryOutcome/failed(reason:)`` with libcurl's text for the failure (`Couldn't connect to server`,
/// `Timeout was reached`, ...), which Orion shows in `lastFailureReason`. The whole exchange (connect, TLS, request,
/// response head and body) runs within the notification's timeout. The response body is read and dropped; past
/// 1 MiB the connection is closed.
///
/// With `reusesConnections`, idle connections are kept per scheme, host and port (64 at most per peer) and carry
/// one request at a time; a connection the server closes, or answers with `Connection: close` or as HTTP/1.0
/// without keep-alive, is not reused, and a request on a kept connection that dies before any response byte is
/// sent once more on a fresh one. Without it, each request has its own connection, sent with
/// `Connection: close` and closed after the response.
public final class HTTPTransport: NotificationTransport {
    private let group: any EventLoopGroup
    private let reusesConnections: Bool
    private let maximumMessageSize: Int
    private let logger: Logger
    private let tlsContext: Result<NIOSSLContext, any Error>
    private let pool = HTTPConnectionPool(maximumIdlePerPeer: 64)

    /// Makes a transport; it opens no connection until the first delivery.
    ///
    /// - Parameters:
    ///   - group: the event loops of the connections.
    ///   - reusesConnections: whether connections are kept and reused (`persistent` and `threadpool` modes) or one
    ///     is made per notification (`transient`).
    ///   - verifiesCertificates: whether an HTTPS peer's certificate chain and name must verify.
    ///   - maximumMessageSize: the largest request, head and body, that is sent (Orion's `-outReqMsgMaxSize`).
    ///   - logger: where connection failures are logged, at debug level.
    public init(
        group: any EventLoopGroup, reusesConnections: Bool, verifiesCertificates: Bool, maximumMessageSize: Int,
        logger: Logger
    ) {
        self.group = group
        self.reusesConnections = reusesConnections
        self.maximumMessageSize = maximumMessageSize
        self.logger = logger
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verifiesCertificates { configuration.certificateVerification = .none }
        self.tlsContext = Result { try NIOSSLContext(configuration: configuration) }
    }

    /// Sends the notification's request to its URL and waits for the response, at most `timeout`.
    ///
    /// - Returns: ``DeliveryOutcome/delivered(statusCode:)`` with the response's status, or
    ///   ``DeliveryOutcome/failed(reason:)``; an MQTT destination fails with `Unsupported protocol`.
    public func deliver(_ notification: OutboundNotification, timeout: Duration) async -> DeliveryOutcome {
        guard case .http(let target) = notification.destination else {
            return .failed(reason: HTTPDeliveryError.unsupportedProtocol().message)
        }
        do {
            let response = try await send(target, body: notification.body, timeout: timeout)
            return .delivered(statusCode: response.statusCode)
        } catch {
            logger.debug("HTTP notification failed", metadata: ["notification.failure": "\(error.message)"])
            return .failed(reason: error.message)
        }
    }

    /// Closes every idle connection; later deliveries fail with `HTTP transport is shut down`.
    public func shutdown() async {
        for channel in pool.shutDown() {
            channel.close(promise: nil)
        }
    }

    // MARK: - The exchange

    private func send(_ target: HTTPTarget, body: ByteBuffer, timeout: Duration) async throws(HTTPDeliveryError)
        -> HTTPExchangeResponse
    {
        let url = try HTTPURL(parsing: target.url)
        let request = try HTTPNotificationRequest(
            target: target, url: url, body: body, closesConnection: !reusesConnections)
        guard request.encodedSize <= maximumMessageSize else {
            throw .requestTooLarge(byteCount: request.encodedSize)
        }
        guard !pool.isShutDown else { throw .shutDown() }
        let deadline = NIODeadline.now() + TimeAmount(timeout)

        if reusesConnections, let channel = pool.take(for: url.peer) {
            do {
                return try await exchange(request, on: channel, peer: url.peer, deadline: deadline)
            } catch  where error.isRetryableOnFreshConnection {
                logger.debug(
                    "kept HTTP connection was closed; sending again",
                    metadata: ["notification.peer": "\(url.peer.host):\(url.peer.port)"])
            }
        }
        let channel = try await connect(to: url, deadline: deadline)
        return try await exchange(request, on: channel, peer: url.peer, deadline: deadline)
    }

    /// Runs one exchange on `channel`, then keeps the channel for reuse or closes it.
    private func exchange(
        _ request: HTTPNotificationRequest, on channel: any Channel, peer: HTTPPeer, deadline: NIODeadline
    ) async throws(HTTPDeliveryError) -> HTTPExchangeResponse {
        let promise = channel.eventLoop.makePromise(of: HTTPExchangeResponse.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            promise.fail(HTTPDeliveryError(exchanging: error, responseStarted: false))
        }
        channel.writeAndFlush(HTTPExchange(request: request, deadline: deadline, promise: promise), promise: written)
        let response: HTTPExchangeResponse
        do {
            response = try await promise.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error as? HTTPDeliveryError ?? HTTPDeliveryError(exchanging: error, responseStarted: false)
        }
        if !(reusesConnections && response.isReusable && pool.putBack(channel, for: peer)) {
            channel.close(promise: nil)
        }
        return response
    }

    /// Opens a connection to the URL's peer, with TLS for `https`, ready for ``HTTPExchange`` writes.
    private func connect(to url: HTTPURL, deadline: NIODeadline) async throws(HTTPDeliveryError) -> any Channel {
        let remaining = deadline - NIODeadline.now()
        guard remaining > .zero else { throw .timedOut() }
        var tlsContext: NIOSSLContext?
        if url.peer.scheme == .https {
            do {
                tlsContext = try self.tlsContext.get()
            } catch {
                throw .tlsHandshakeFailed(cause: error)
            }
        }
        let serverHostname = url.hostIsIPAddress ? nil : url.peer.host
        // Completed by the handler once the TLS handshake is over, so that its failure is the delivery's reason.
        let establishment = tlsContext.map { _ in group.next().makePromise(of: Void.self) }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(remaining)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [tlsContext] channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tlsContext {
                        try operations.addHandler(
                            NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                    }
                    var encoder = HTTPRequestEncoder.Configuration()
                    encoder.automaticallySetFramingHeaders = false
                    try operations.addHTTPClientHandlers(encoderConfiguration: encoder)
                    try operations.addHandler(HTTPExchangeHandler(establishment: establishment, deadline: deadline))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.peer.host, port: url.peer.port).get()
        } catch {
            let failure = HTTPDeliveryError(connecting: error)
            establishment?.fail(failure)
            throw failure
        }
        if let establishment {
            do {
                try await establishment.futureResult.get()
            } catch {
                channel.close(promise: nil)
                throw error as? HTTPDeliveryError ?? HTTPDeliveryError(handshaking: error)
            }
        }
        return channel
    }
}
