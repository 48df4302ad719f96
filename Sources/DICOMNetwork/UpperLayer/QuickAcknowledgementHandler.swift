import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Acknowledges every segment at once instead of after Linux's delayed-acknowledgement timeout (`TCP_QUICKACK`,
/// re-armed after each read because the kernel drops it on its own).
///
/// Peers that leave Nagle's algorithm on (pynetdicom, and dcmtk unless `TCP_NODELAY` is set in its environment)
/// write a DIMSE command and its data set as two small segments and hold the second until the first is
/// acknowledged; with a delayed acknowledgement every request then waits about 40 ms for nothing.
final class QuickAcknowledgementHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        Self.arm(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        Self.arm(context.channel)
        context.fireChannelRead(data)
    }

    private static func arm(_ channel: any Channel) {
        #if os(Linux)
            let quickAck = ChannelOptions.Types.SocketOption(
                level: .init(rawValue: CInt(IPPROTO_TCP)), name: .init(rawValue: CInt(TCP_QUICKACK)))
            try? channel.syncOptions?.setOption(quickAck, value: 1)
        #endif
    }
}
