import NIOCore
import NIOPosix
import Synchronization

/// A TCP server on an ephemeral loopback port that plays a broker misbehaving in one way mosquitto cannot be made
/// to: never answering CONNECT, never acknowledging, dropping the connection, or sending bytes that break MQTT.
final class ScriptedBroker: Sendable {
    /// What the server does with a connection.
    enum Behaviour: Sendable {
        /// Reads CONNECT and never answers.
        case silent
        /// Accepts with CONNACK, then reads and never answers.
        case acceptThenSilent
        /// Accepts with CONNACK, then closes the connection on the next bytes (the PUBLISH).
        case acceptThenClose
        /// Accepts with CONNACK, then answers the next bytes with these.
        case acceptThenSend([UInt8])
    }

    private let channel: any Channel
    private let received: ReceivedBytes

    var port: Int { channel.localAddress?.port ?? 0 }

    /// Every byte received, over all connections.
    var receivedBytes: [UInt8] { received.bytes.withLock { $0 } }

    init(_ behaviour: Behaviour) async throws {
        let received = ReceivedBytes()
        self.received = received
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptHandler(behaviour: behaviour, received: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async {
        try? await channel.close()
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let behaviour: ScriptedBroker.Behaviour
    private let received: ReceivedBytes
    private var accepted = false

    init(behaviour: ScriptedBroker.Behaviour, received: ReceivedBytes) {
        self.behaviour = behaviour
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        received.bytes.withLock { $0 += Array(bytes.readableBytesView) }
        if case .silent = behaviour { return }
        guard accepted else {
            accepted = true
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [0x20, 0x02, 0x00, 0x00])), promise: nil)
            return
        }
        switch behaviour {
        case .silent, .acceptThenSilent: break
        case .acceptThenClose: context.close(promise: nil)
        case .acceptThenSend(let bytes): context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
        }
    }
}

/// The bytes a scripted server received, shared by its connections.
private final class ReceivedBytes: Sendable {
    let bytes = Mutex<[UInt8]>([])
}
