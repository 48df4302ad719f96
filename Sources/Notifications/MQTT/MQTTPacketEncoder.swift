package import NIOCore

/// Writes ``MQTTPacket``s as bytes into a channel pipeline: the outbound half of the codec.
package struct MQTTPacketEncoder: MessageToByteEncoder, Sendable {
    /// One packet to send.
    package typealias OutboundIn = MQTTPacket

    /// The encoder; it has no state.
    package init() {}

    /// Appends the bytes of `data` (``MQTTPacket/write(to:)``).
    package func encode(data: MQTTPacket, out: inout ByteBuffer) {
        data.write(to: &out)
    }
}
