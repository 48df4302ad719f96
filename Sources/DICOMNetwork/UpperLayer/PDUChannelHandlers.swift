import NIOCore
import NIOSSL

/// The handlers of every DICOM connection, accepted or opened: immediate acknowledgements, TLS when given, the
/// silence timeout, and PDUs in and out; the channel is then wrapped for async use.
func configurePDUChannel(
    _ channel: any Channel, maximumLength: UInt32, timeout: TimeAmount, tls: NIOSSLHandler? = nil
) throws -> NIOAsyncChannel<PDU, PDU> {
    let pipeline = channel.pipeline.syncOperations
    try pipeline.addHandler(QuickAcknowledgementHandler())
    if let tls { try pipeline.addHandler(tls) }
    try pipeline.addHandler(IdleStateHandler(readTimeout: timeout))
    try pipeline.addHandler(SilenceTimeoutHandler())
    try pipeline.addHandler(
        ByteToMessageHandler(PDUFrameDecoder(decoder: PDUDecoder(maximumDataLength: maximumLength))))
    try pipeline.addHandler(MessageToByteHandler(PDUFrameEncoder()))
    return try NIOAsyncChannel<PDU, PDU>(wrappingChannelSynchronously: channel)
}

/// ``PDUDecoder`` as a NIO decoder: bytes in, whole PDUs out.
struct PDUFrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = PDU
    let decoder: PDUDecoder

    mutating func decode(buffer: inout ByteBuffer) throws -> PDU? {
        try decoder.decode(&buffer)
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> PDU? {
        try decoder.decode(&buffer)
    }
}

/// Encodes outbound PDUs.
struct PDUFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = PDU

    func encode(data: PDU, out: inout ByteBuffer) throws {
        data.write(to: &out)
    }
}

/// Closes a connection that stayed silent too long: the ARTIM timer before an association is established, the
/// idle timeout (`DicomScpTimeout`) after; an established association first gets an A-ABORT.
final class SilenceTimeoutHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        var abort = ByteBuffer()
        PDU.abort(.notSpecified).write(to: &abort)
        context.writeAndFlush(NIOAny(abort), promise: nil)
        context.close(promise: nil)
    }
}
