package import NIOCore

/// Decodes the packets a broker sends (MQTT 3.1.1 §2 and §3) from a byte stream that arrives in pieces.
///
/// ``next(_:)`` returns `nil`, consuming nothing, until a whole packet is there. The packet type and flags are
/// checked as soon as the first byte arrives, the Remaining Length against ``maximumPacketSize`` before the body is
/// awaited, and every field length against the bytes of its packet, so no value read from the wire takes part in
/// arithmetic that could overflow. A packet's body is decoded from its own slice, which must be consumed exactly.
package struct MQTTPacketDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// One decoded packet.
    package typealias InboundOut = MQTTPacket

    /// The largest Remaining Length accepted: a broker sends a publisher only small packets, so 1 MiB by default.
    package var maximumPacketSize: Int

    /// A decoder refusing packets whose Remaining Length exceeds `maximumPacketSize` (capped at 268,435,455).
    package init(maximumPacketSize: Int = 1 << 20) {
        self.maximumPacketSize = min(maximumPacketSize, MQTTPacket.maximumRemainingLength)
    }

    /// The next whole packet of `buffer`, or `nil` when more bytes are needed (the reader index is then unchanged).
    ///
    /// - Throws: ``MQTTProtocolError`` for a reserved or client-only packet type, wrong flags, a malformed or too
    ///   large Remaining Length, or a malformed body.
    package mutating func next(_ buffer: inout ByteBuffer) throws(MQTTProtocolError) -> MQTTPacket? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        let type = try Self.packetType(first)
        guard let (length, lengthSize) = try MQTTRemainingLength.get(at: buffer.readerIndex + 1, from: buffer) else {
            return nil
        }
        guard length <= maximumPacketSize else {
            throw MQTTProtocolError(
                .packetTooLarge, "a \(type.name) packet of \(length) bytes, above the \(maximumPacketSize) accepted")
        }
        // The header and the body are consumed together, once the whole packet is there.
        guard var body = buffer.getSlice(at: buffer.readerIndex + 1 + lengthSize, length: length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1 + lengthSize + length)
        let packet = try Self.decodeBody(type: type, flags: first & 0x0F, &body)
        guard body.readableBytes == 0 else {
            throw MQTTProtocolError(.malformedPacket, "\(body.readableBytes) bytes left over in a \(type.name) packet")
        }
        return packet
    }

    /// ``next(_:)``, for a `ByteToMessageHandler`.
    package mutating func decode(buffer: inout ByteBuffer) throws -> MQTTPacket? {
        try next(&buffer)
    }

    /// ``next(_:)`` at the end of the stream: bytes of a packet cut short are left for the handler to report.
    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MQTTPacket? {
        try next(&buffer)
    }

    // MARK: - Fixed header

    /// The type of the first byte, if a broker may send it with these flags (§2.2.1, §2.2.2).
    private static func packetType(_ first: UInt8) throws(MQTTProtocolError) -> MQTTPacket.PacketType {
        let flags = first & 0x0F
        guard let type = MQTTPacket.PacketType(rawValue: first >> 4) else {
            throw MQTTProtocolError(.reservedPacketType, "reserved packet type \(first >> 4)")
        }
        let requiredFlags: UInt8
        switch type {
        case .connect, .subscribe, .unsubscribe, .pingRequest, .disconnect, .unsubscribeAcknowledgement:
            throw MQTTProtocolError(.unexpectedPacketType, "a broker does not send \(type.name) to a publisher")
        case .publish:
            guard flags & 0b0110 != 0b0110 else {
                throw MQTTProtocolError(.invalidFlags, "PUBLISH with QoS 3")
            }
            guard flags & 0b1110 != 0b1000 else {
                throw MQTTProtocolError(.invalidFlags, "PUBLISH with QoS 0 and DUP set")
            }
            return type
        case .publishRelease:
            requiredFlags = 0b0010
        case .connectAcknowledgement, .publishAcknowledgement, .publishReceived, .publishComplete,
            .subscribeAcknowledgement, .pingResponse:
            requiredFlags = 0
        }
        guard flags == requiredFlags else {
            throw MQTTProtocolError(.invalidFlags, "\(type.name) with flags \(flags), not \(requiredFlags)")
        }
        return type
    }

    // MARK: - Bodies

    private static func decodeBody(
        type: MQTTPacket.PacketType, flags: UInt8, _ body: inout ByteBuffer
    ) throws(MQTTProtocolError) -> MQTTPacket {
        switch type {
        case .connectAcknowledgement:
            guard body.readableBytes == 2,
                let (acknowledgeFlags, code) = body.readMultipleIntegers(as: (UInt8, UInt8).self)
            else { throw MQTTProtocolError(.malformedPacket, "CONNACK of \(body.readableBytes) bytes, not 2") }
            guard acknowledgeFlags & 0xFE == 0 else {
                throw MQTTProtocolError(.malformedPacket, "CONNACK with reserved acknowledge flags \(acknowledgeFlags)")
            }
            let sessionPresent = acknowledgeFlags == 1
            guard !sessionPresent || code == 0 else {
                throw MQTTProtocolError(.malformedPacket, "CONNACK refusing with Session Present set")
            }
            return .connectAcknowledgement(
                .init(sessionPresent: sessionPresent, returnCode: MQTTConnectReturnCode(rawValue: code)))
        case .publish:
            return .publish(try decodePublish(flags: flags, &body))
        case .publishAcknowledgement:
            return .publishAcknowledgement(packetIdentifier: try identifierOnly(type, &body))
        case .publishReceived:
            return .publishReceived(packetIdentifier: try identifierOnly(type, &body))
        case .publishRelease:
            return .publishRelease(packetIdentifier: try identifierOnly(type, &body))
        case .publishComplete:
            return .publishComplete(packetIdentifier: try identifierOnly(type, &body))
        case .subscribeAcknowledgement:
            let identifier = try packetIdentifier(type, &body)
            guard body.readableBytes > 0 else {
                throw MQTTProtocolError(.malformedPacket, "SUBACK without return codes")
            }
            var granted: [MQTTQualityOfService?] = []
            granted.reserveCapacity(body.readableBytes)
            while let code = body.readInteger(as: UInt8.self) {
                if code == 0x80 {
                    granted.append(nil)
                } else if let quality = MQTTQualityOfService(rawValue: code) {
                    granted.append(quality)
                } else {
                    throw MQTTProtocolError(.malformedPacket, "SUBACK return code \(code)")
                }
            }
            return .subscribeAcknowledgement(.init(packetIdentifier: identifier, grantedQualities: granted))
        case .pingResponse:
            guard body.readableBytes == 0 else {
                throw MQTTProtocolError(.malformedPacket, "PINGRESP of \(body.readableBytes) bytes, not 0")
            }
            return .pingResponse
        case .connect, .subscribe, .unsubscribe, .unsubscribeAcknowledgement, .pingRequest, .disconnect:
            throw MQTTProtocolError(.unexpectedPacketType, "a broker does not send \(type.name) to a publisher")
        }
    }

    /// PUBLISH (§3.3): topic name, packet identifier for QoS 1 and 2, then the payload, the rest of the packet.
    private static func decodePublish(flags: UInt8, _ body: inout ByteBuffer) throws(MQTTProtocolError)
        -> MQTTPacket.Publish
    {
        // packetType(_:) has refused QoS 3.
        let quality = MQTTQualityOfService(rawValue: (flags >> 1) & 0b11) ?? .atMostOnce
        let topic = try string(&body)
        guard !topic.isEmpty else { throw MQTTProtocolError(.malformedPacket, "PUBLISH with an empty topic name") }
        guard !topic.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }) else {
            throw MQTTProtocolError(.malformedPacket, "PUBLISH with a wildcard in its topic name")
        }
        let identifier = quality == .atMostOnce ? nil : try packetIdentifier(.publish, &body)
        let payload = body.readSlice(length: body.readableBytes) ?? ByteBuffer()
        return MQTTPacket.Publish(
            topic: topic, payload: payload, qualityOfService: quality, retain: flags & 0b0001 != 0,
            duplicate: flags & 0b1000 != 0, packetIdentifier: identifier)
    }

    /// The body of PUBACK, PUBREC, PUBREL and PUBCOMP: exactly a packet identifier.
    private static func identifierOnly(_ type: MQTTPacket.PacketType, _ body: inout ByteBuffer)
        throws(MQTTProtocolError)
        -> UInt16
    {
        guard body.readableBytes == 2 else {
            throw MQTTProtocolError(.malformedPacket, "\(type.name) of \(body.readableBytes) bytes, not 2")
        }
        return try packetIdentifier(type, &body)
    }

    /// A non-zero packet identifier (§2.3.1).
    private static func packetIdentifier(_ type: MQTTPacket.PacketType, _ body: inout ByteBuffer)
        throws(MQTTProtocolError) -> UInt16
    {
        guard let identifier = body.readInteger(as: UInt16.self) else {
            throw MQTTProtocolError(.malformedPacket, "\(type.name) too short for its packet identifier")
        }
        guard identifier != 0 else {
            throw MQTTProtocolError(.malformedPacket, "\(type.name) with packet identifier 0")
        }
        return identifier
    }

    /// A UTF-8 encoded string (§1.5.3): well-formed UTF-8 without U+0000, inside its packet.
    private static func string(_ body: inout ByteBuffer) throws(MQTTProtocolError) -> String {
        guard let length = body.readInteger(as: UInt16.self) else {
            throw MQTTProtocolError(.invalidString, "a string's length overruns its packet")
        }
        guard let bytes = body.readSlice(length: Int(length)) else {
            throw MQTTProtocolError(.invalidString, "a string of \(length) bytes overruns its packet")
        }
        guard let string = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw MQTTProtocolError(.invalidString, "a string that is not well-formed UTF-8")
        }
        guard !bytes.readableBytesView.contains(0) else {
            throw MQTTProtocolError(.invalidString, "a string holding U+0000")
        }
        return string
    }
}
