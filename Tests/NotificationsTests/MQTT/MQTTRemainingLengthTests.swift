import NIOCore
import Notifications
import Testing

/// The Remaining Length varint at the boundaries of its 1 to 4 bytes (MQTT 3.1.1 §2.2.3, Table 2.4).
@Suite("MQTT Remaining Length")
struct MQTTRemainingLengthTests {
    static let boundaries: [(Int, [UInt8])] = [
        (0, [0x00]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (16_383, [0xFF, 0x7F]),
        (16_384, [0x80, 0x80, 0x01]),
        (2_097_151, [0xFF, 0xFF, 0x7F]),
        (2_097_152, [0x80, 0x80, 0x80, 0x01]),
        (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
    ]

    @Test("encodes each boundary in the bytes of Table 2.4", arguments: boundaries)
    func encode(length: Int, expected: [UInt8]) {
        var buffer = ByteBuffer()
        MQTTRemainingLength.write(length, to: &buffer)
        #expect(Array(buffer.readableBytesView) == expected)
        #expect(MQTTRemainingLength.encodedSize(of: length) == expected.count)
    }

    @Test("decodes each boundary, reporting how many bytes it took, without moving the reader", arguments: boundaries)
    func decode(length: Int, encoded: [UInt8]) throws {
        let buffer = ByteBuffer(bytes: encoded + [0x55])
        let decoded = try MQTTRemainingLength.get(at: buffer.readerIndex, from: buffer)
        #expect(decoded?.length == length)
        #expect(decoded?.size == encoded.count)
        #expect(buffer.readableBytes == encoded.count + 1)
    }

    @Test("an encoding cut before its last byte needs more data", arguments: boundaries.filter { $0.1.count > 1 })
    func incomplete(length: Int, encoded: [UInt8]) throws {
        let buffer = ByteBuffer(bytes: encoded.dropLast())
        #expect(try MQTTRemainingLength.get(at: buffer.readerIndex, from: buffer) == nil)
    }

    @Test(
        "a fifth byte is refused, whether or not it has arrived",
        arguments: [[0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0x80, 0x80, 0x80, 0x80], [0xFF, 0xFF, 0xFF, 0x80, 0x00]]
            as [[UInt8]])
    func fiveBytes(encoded: [UInt8]) {
        let buffer = ByteBuffer(bytes: encoded)
        #expect(throws: MQTTProtocolError(.malformedRemainingLength, "")) {
            try MQTTRemainingLength.get(at: buffer.readerIndex, from: buffer)
        }
    }
}
