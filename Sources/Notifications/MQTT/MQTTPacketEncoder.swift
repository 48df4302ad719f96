package import NIOCore

/// Writes ``MQTTPacket``s as bytes into a channel pipeline: the outbound half of the codec.
package struct MQTTPacketEncoder: MessageToByteEncoder, Sendable {
    package typealias OutboundIn = MQTTPacket

    package init() {}

    package func encode(data: MQTTPacket, out: inout ByteBuffer) {
        data.write(to: &out)
    }
}
