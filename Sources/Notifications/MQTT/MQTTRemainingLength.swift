package import NIOCore

/// The Remaining Length of the fixed header (MQTT 3.1.1 §2.2.3): 7 bits a byte, least significant first, the high
/// bit set on every byte but the last; at most 4 bytes, so at most 268,435,455.
package enum MQTTRemainingLength {
    /// The number of bytes that encode `length`: 1 to 4.
    package static func encodedSize(of length: Int) -> Int {
        precondition(length >= 0 && length <= MQTTPacket.maximumRemainingLength, "remaining length \(length)")
        switch length {
        case ..<128: return 1
        case ..<16_384: return 2
        case ..<2_097_152: return 3
        default: return 4
        }
    }

    /// Appends the encoding of `length`, which must be in 0…268,435,455 (the encoder checks sizes first).
    package static func write(_ length: Int, to buffer: inout ByteBuffer) {
        precondition(length >= 0 && length <= MQTTPacket.maximumRemainingLength, "remaining length \(length)")
        var rest = length
        repeat {
            var byte = UInt8(rest & 0x7F)
            rest >>= 7
            if rest > 0 { byte |= 0x80 }
            buffer.writeInteger(byte)
        } while rest > 0
    }

    /// Reads the length that starts at `index`, without moving the reader index.
    ///
    /// - Returns: the length and the number of bytes encoding it, or `nil` when the encoding is not complete yet.
    /// - Throws: ``MQTTProtocolError/Code/malformedRemainingLength`` when a fourth byte still has its
    ///   continuation bit set.
    package static func get(at index: Int, from buffer: ByteBuffer) throws(MQTTProtocolError) -> (
        length: Int, size: Int
    )? {
        var length = 0
        for position in 0..<4 {
            guard let byte = buffer.getInteger(at: index + position, as: UInt8.self) else { return nil }
            length |= Int(byte & 0x7F) << (7 * position)
            if byte & 0x80 == 0 { return (length, position + 1) }
        }
        throw MQTTProtocolError(.malformedRemainingLength, "the Remaining Length is longer than 4 bytes")
    }
}
