import NIOCore
import Notifications
import Testing

/// Decoding what a broker sends: each packet, fed whole and byte by byte, and every malformation refused with its
/// precise ``MQTTProtocolError`` (MQTT 3.1.1 §2, §3).
@Suite("MQTT packet decoder")
struct MQTTPacketDecoderTests {
    /// Every packet of `bytes`, fed in pieces of `piece` bytes; an error is thrown at once.
    static func decodeAll(_ bytes: [UInt8], piece: Int, maximumPacketSize: Int = 1 << 20) throws(MQTTProtocolError)
        -> (packets: [MQTTPacket], leftOver: Int)
    {
        var decoder = MQTTPacketDecoder(maximumPacketSize: maximumPacketSize)
        var buffer = ByteBuffer()
        var packets: [MQTTPacket] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            while let packet = try decoder.next(&buffer) { packets.append(packet) }
        }
        return (packets, buffer.readableBytes)
    }

    static let brokerPackets: [([UInt8], MQTTPacket)] = [
        ([0x20, 0x02, 0x00, 0x00], .connectAcknowledgement(.init(returnCode: .accepted))),
        ([0x20, 0x02, 0x01, 0x00], .connectAcknowledgement(.init(sessionPresent: true, returnCode: .accepted))),
        ([0x20, 0x02, 0x00, 0x04], .connectAcknowledgement(.init(returnCode: .badUserNameOrPassword))),
        ([0x20, 0x02, 0x00, 0x05], .connectAcknowledgement(.init(returnCode: .notAuthorized))),
        ([0x20, 0x02, 0x00, 0x09], .connectAcknowledgement(.init(returnCode: MQTTConnectReturnCode(rawValue: 9)))),
        ([0x40, 0x02, 0x00, 0x05], .publishAcknowledgement(packetIdentifier: 5)),
        ([0x50, 0x02, 0xFF, 0xFF], .publishReceived(packetIdentifier: 65_535)),
        ([0x62, 0x02, 0x00, 0x01], .publishRelease(packetIdentifier: 1)),
        ([0x70, 0x02, 0x12, 0x34], .publishComplete(packetIdentifier: 0x1234)),
        (
            [0x90, 0x03, 0x00, 0x01, 0x01],
            .subscribeAcknowledgement(.init(packetIdentifier: 1, grantedQualities: [.atLeastOnce]))
        ),
        (
            [0x90, 0x05, 0x00, 0x02, 0x00, 0x02, 0x80],
            .subscribeAcknowledgement(.init(packetIdentifier: 2, grantedQualities: [.atMostOnce, .exactlyOnce, nil]))
        ),
        ([0xD0, 0x00], .pingResponse),
        (
            [0x30, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69],
            .publish(.init(topic: "a/b", payload: ByteBuffer(string: "hi"), qualityOfService: .atMostOnce))
        ),
        (
            [0x31, 0x03, 0x00, 0x01, 0x74],
            .publish(.init(topic: "t", payload: ByteBuffer(), qualityOfService: .atMostOnce, retain: true))
        ),
        (
            [0x3B, 0x06, 0x00, 0x01, 0x74, 0x00, 0x09, 0x21],
            .publish(
                .init(
                    topic: "t", payload: ByteBuffer(string: "!"), qualityOfService: .atLeastOnce, retain: true,
                    duplicate: true, packetIdentifier: 9))
        ),
        (
            [0x34, 0x08, 0x00, 0x02, 0xC3, 0xA9, 0x00, 0x02, 0x7B, 0x7D],
            .publish(
                .init(
                    topic: "é", payload: ByteBuffer(string: "{}"), qualityOfService: .exactlyOnce, packetIdentifier: 2))
        ),
    ]

    @Test("decodes each packet a broker sends, whole", arguments: brokerPackets)
    func decodeWhole(bytes: [UInt8], expected: MQTTPacket) throws {
        let (packets, leftOver) = try Self.decodeAll(bytes, piece: bytes.count)
        #expect(packets == [expected])
        #expect(leftOver == 0)
    }

    @Test("decodes each packet a broker sends, one byte at a time", arguments: brokerPackets)
    func decodeByteByByte(bytes: [UInt8], expected: MQTTPacket) throws {
        let (packets, leftOver) = try Self.decodeAll(bytes, piece: 1)
        #expect(packets == [expected])
        #expect(leftOver == 0)
    }

    @Test("a stream of every packet decodes the same in pieces of 1 to 7 bytes as whole", arguments: 1...7)
    func decodeStream(piece: Int) throws {
        let stream = Self.brokerPackets.flatMap(\.0)
        let (packets, leftOver) = try Self.decodeAll(stream, piece: piece)
        #expect(packets == Self.brokerPackets.map(\.1))
        #expect(leftOver == 0)
    }

    @Test("nothing is consumed until a packet is whole")
    func partialPacketConsumesNothing() throws {
        var decoder = MQTTPacketDecoder()
        var buffer = ByteBuffer(bytes: [0x30, 0x07, 0x00, 0x03, 0x61])
        #expect(try decoder.next(&buffer) == nil)
        #expect(buffer.readableBytes == 5)
        buffer.writeBytes([0x2F, 0x62, 0x68, 0x69, 0xD0])
        #expect(try decoder.next(&buffer) != nil)
        #expect(buffer.readableBytes == 1)
        #expect(try decoder.next(&buffer) == nil)
        #expect(buffer.readableBytes == 1)
    }

    @Test("a PUBLISH of 16,384 bytes (three-byte length) decodes whole and byte by byte")
    func largePublish() throws {
        let payload = ByteBuffer(repeating: 0x5A, count: 16_384 - 5)
        let packet = MQTTPacket.publish(.init(topic: "big", payload: payload, qualityOfService: .atMostOnce))
        let bytes = MQTTPacketTests.bytes(packet)
        #expect(Array(bytes.prefix(4)) == [0x30, 0x80, 0x80, 0x01])
        #expect(try Self.decodeAll(bytes, piece: bytes.count).packets == [packet])
        #expect(try Self.decodeAll(bytes, piece: 1).packets == [packet])
    }

    @Test("a packet above the maximum size is refused from its header, before its body arrives")
    func tooLarge() throws {
        // 1 MiB is accepted; 1 MiB + 1 is not.
        var decoder = MQTTPacketDecoder()
        var atLimit = ByteBuffer(bytes: [0x30, 0x80, 0x80, 0x40])
        #expect(try decoder.next(&atLimit) == nil)
        var above = ByteBuffer(bytes: [0x30, 0x81, 0x80, 0x40])
        #expect(throws: MQTTProtocolError(.packetTooLarge, "")) { try decoder.next(&above) }
        var maximal = ByteBuffer(bytes: [0x30, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: MQTTProtocolError(.packetTooLarge, "")) { try decoder.next(&maximal) }
    }

    static let malformed: [([UInt8], MQTTProtocolError.Code)] = [
        ([0x00, 0x00], .reservedPacketType),
        ([0xF0, 0x00], .reservedPacketType),
        ([0x10, 0x00], .unexpectedPacketType),
        ([0x82, 0x00], .unexpectedPacketType),
        ([0xA2, 0x00], .unexpectedPacketType),
        ([0xB0, 0x02, 0x00, 0x01], .unexpectedPacketType),
        ([0xC0, 0x00], .unexpectedPacketType),
        ([0xE0, 0x00], .unexpectedPacketType),
        ([0x21, 0x02, 0x00, 0x00], .invalidFlags),
        ([0x41, 0x02, 0x00, 0x01], .invalidFlags),
        ([0x58, 0x02, 0x00, 0x01], .invalidFlags),
        ([0x60, 0x02, 0x00, 0x01], .invalidFlags),
        ([0x63, 0x02, 0x00, 0x01], .invalidFlags),
        ([0x72, 0x02, 0x00, 0x01], .invalidFlags),
        ([0x92, 0x03, 0x00, 0x01, 0x00], .invalidFlags),
        ([0xD1, 0x00], .invalidFlags),
        ([0x36, 0x03, 0x00, 0x01, 0x74], .invalidFlags),
        ([0x38, 0x03, 0x00, 0x01, 0x74], .invalidFlags),
        ([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], .malformedRemainingLength),
        ([0x20, 0x80, 0x80, 0x80, 0x80], .malformedRemainingLength),
        ([0x20, 0x03, 0x00, 0x00, 0x00], .malformedPacket),
        ([0x20, 0x01, 0x00], .malformedPacket),
        ([0x20, 0x02, 0x02, 0x00], .malformedPacket),
        ([0x20, 0x02, 0x01, 0x04], .malformedPacket),
        ([0x40, 0x02, 0x00, 0x00], .malformedPacket),
        ([0x40, 0x03, 0x00, 0x01, 0x00], .malformedPacket),
        ([0x50, 0x01, 0x01], .malformedPacket),
        ([0x70, 0x00], .malformedPacket),
        ([0xD0, 0x01, 0x00], .malformedPacket),
        ([0x90, 0x02, 0x00, 0x01], .malformedPacket),
        ([0x90, 0x03, 0x00, 0x01, 0x03], .malformedPacket),
        ([0x90, 0x01, 0x00], .malformedPacket),
        ([0x30, 0x02, 0x00, 0x00], .malformedPacket),
        ([0x30, 0x03, 0x00, 0x01, 0x23], .malformedPacket),
        ([0x30, 0x05, 0x00, 0x03, 0x61, 0x2B, 0x62], .malformedPacket),
        ([0x32, 0x03, 0x00, 0x01, 0x74], .malformedPacket),
        ([0x32, 0x05, 0x00, 0x01, 0x74, 0x00, 0x00], .malformedPacket),
        ([0x30, 0x01, 0x00], .invalidString),
        ([0x30, 0x03, 0x00, 0x05, 0x61], .invalidString),
        ([0x30, 0x04, 0x00, 0x02, 0xC3, 0x28], .invalidString),
        ([0x30, 0x05, 0x00, 0x03, 0xED, 0xA0, 0x80], .invalidString),
        ([0x30, 0x03, 0x00, 0x01, 0x00], .invalidString),
    ]

    @Test("malformed input fails with its precise error, whole and byte by byte", arguments: malformed)
    func refused(bytes: [UInt8], code: MQTTProtocolError.Code) {
        for piece in [bytes.count, 1] {
            do {
                let decoded = try Self.decodeAll(bytes, piece: piece)
                Issue.record("decoded \(decoded.packets) from \(bytes)")
            } catch {
                #expect(error.code == code, "\(bytes): \(error.message)")
            }
        }
    }

    @Test("the NIO decoder hands on the packets of a channel and its errors")
    func channelDecoder() throws {
        var decoder = MQTTPacketDecoder()
        var buffer = ByteBuffer(bytes: [0xD0, 0x00, 0xF0])
        #expect(try decoder.decode(buffer: &buffer) == .pingResponse)
        #expect(throws: MQTTProtocolError(.reservedPacketType, "")) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
    }
}
