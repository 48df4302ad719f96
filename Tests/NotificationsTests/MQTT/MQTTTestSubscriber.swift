import NIOCore
import NIOPosix
import Notifications
import Testing

/// A subscriber built on Atrium's own codec, to see what a broker delivers: CONNECT, SUBSCRIBE at QoS 2 and
/// SUBACK, then every PUBLISH received, acknowledged as its QoS requires (PUBACK; PUBREC, then PUBCOMP on PUBREL).
///
/// Every wait is bounded: the connection closes itself `lifetime` after it opened, which ends ``next()``.
final class MQTTTestSubscriber: Sendable {
    private let channel: any Channel

    /// Connects, subscribes to `topic` and waits for SUBACK.
    static func subscribe(
        port: Int, topic: String, user: String? = nil, password: String? = nil, lifetime: TimeAmount = .seconds(20)
    ) async throws -> (MQTTTestSubscriber, AsyncStream<MQTTPacket>.Iterator) {
        let (stream, continuation) = AsyncStream.makeStream(of: MQTTPacket.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(MQTTPacketDecoder()), MessageToByteHandler(MQTTPacketEncoder()),
                        AcknowledgingHandler(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.eventLoop.scheduleTask(in: lifetime) { channel.close(promise: nil) }
        let subscriber = MQTTTestSubscriber(channel: channel)
        var iterator = stream.makeAsyncIterator()
        try await channel.writeAndFlush(
            MQTTPacket.connect(
                .init(clientIdentifier: "subscriber-\(port)", keepAliveSeconds: 60, userName: user, password: password))
        ).get()
        let connectAcknowledgement = await iterator.next()
        try #require(connectAcknowledgement == .connectAcknowledgement(.init(returnCode: .accepted)))
        try await channel.writeAndFlush(
            MQTTPacket.subscribe(.init(packetIdentifier: 1, filters: [.init(topic, qualityOfService: .exactlyOnce)]))
        ).get()
        let subscribeAcknowledgement = await iterator.next()
        try #require(
            subscribeAcknowledgement
                == .subscribeAcknowledgement(.init(packetIdentifier: 1, grantedQualities: [.exactlyOnce])))
        return (subscriber, iterator)
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Sends DISCONNECT and closes.
    func close() async {
        try? await channel.writeAndFlush(MQTTPacket.disconnect).get()
        try? await channel.close()
    }
}

extension AsyncStream<MQTTPacket>.Iterator {
    /// The next PUBLISH received, or `nil` once the subscriber's connection has closed.
    mutating func nextPublish() async -> MQTTPacket.Publish? {
        while let packet = await next(isolation: #isolation) {
            if case .publish(let publish) = packet { return publish }
        }
        return nil
    }
}

/// Hands every packet to the stream and acknowledges PUBLISH as a subscriber must (MQTT 3.1.1 §4.3).
private final class AcknowledgingHandler: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = MQTTPacket

    private let continuation: AsyncStream<MQTTPacket>.Continuation

    init(continuation: AsyncStream<MQTTPacket>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        switch packet {
        case .publish(let publish):
            switch (publish.qualityOfService, publish.packetIdentifier) {
            case (.atLeastOnce, let identifier?):
                context.writeAndFlush(
                    wrapOutboundOut(.publishAcknowledgement(packetIdentifier: identifier)), promise: nil)
            case (.exactlyOnce, let identifier?):
                context.writeAndFlush(wrapOutboundOut(.publishReceived(packetIdentifier: identifier)), promise: nil)
            default:
                break
            }
        case .publishRelease(let identifier):
            context.writeAndFlush(wrapOutboundOut(.publishComplete(packetIdentifier: identifier)), promise: nil)
        default:
            break
        }
        continuation.yield(packet)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}
