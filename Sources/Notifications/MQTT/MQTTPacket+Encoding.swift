package import NIOCore

extension MQTTPacket {
    /// Appends the packet's bytes: fixed header, variable header, payload (MQTT 3.1.1 §2 and §3).
    ///
    /// Sizes are the caller's to check (``MQTTPacket/maximumFieldLength`` for every string,
    /// ``MQTTPacket/maximumRemainingLength`` for the whole): exceeding them is a programmer error.
    package func write(to buffer: inout ByteBuffer) {
        switch self {
        case .connect(let connect):
            writeConnect(connect, to: &buffer)
        case .connectAcknowledgement(let acknowledgement):
            buffer.writeMultipleIntegers(
                PacketType.connectAcknowledgement.rawValue << 4, UInt8(2),
                UInt8(acknowledgement.sessionPresent ? 1 : 0),
                acknowledgement.returnCode.rawValue)
        case .publish(let publish):
            writePublish(publish, to: &buffer)
        case .publishAcknowledgement(let identifier):
            Self.writeIdentifierOnly(.publishAcknowledgement, flags: 0, identifier, to: &buffer)
        case .publishReceived(let identifier):
            Self.writeIdentifierOnly(.publishReceived, flags: 0, identifier, to: &buffer)
        case .publishRelease(let identifier):
            Self.writeIdentifierOnly(.publishRelease, flags: 0b0010, identifier, to: &buffer)
        case .publishComplete(let identifier):
            Self.writeIdentifierOnly(.publishComplete, flags: 0, identifier, to: &buffer)
        case .subscribe(let subscribe):
            let length = 2 + subscribe.filters.reduce(0) { $0 + 2 + $1.topicFilter.utf8.count + 1 }
            buffer.writeInteger(PacketType.subscribe.rawValue << 4 | 0b0010)
            MQTTRemainingLength.write(length, to: &buffer)
            buffer.writeInteger(subscribe.packetIdentifier)
            for filter in subscribe.filters {
                Self.writeString(filter.topicFilter, to: &buffer)
                buffer.writeInteger(filter.qualityOfService.rawValue)
            }
        case .subscribeAcknowledgement(let acknowledgement):
            buffer.writeInteger(PacketType.subscribeAcknowledgement.rawValue << 4)
            MQTTRemainingLength.write(2 + acknowledgement.grantedQualities.count, to: &buffer)
            buffer.writeInteger(acknowledgement.packetIdentifier)
            for granted in acknowledgement.grantedQualities { buffer.writeInteger(granted?.rawValue ?? 0x80) }
        case .pingRequest:
            buffer.writeMultipleIntegers(PacketType.pingRequest.rawValue << 4, UInt8(0))
        case .pingResponse:
            buffer.writeMultipleIntegers(PacketType.pingResponse.rawValue << 4, UInt8(0))
        case .disconnect:
            buffer.writeMultipleIntegers(PacketType.disconnect.rawValue << 4, UInt8(0))
        }
    }

    /// The protocol name and level of MQTT 3.1.1 (§3.1.2.1, §3.1.2.2).
    private static let protocolName = "MQTT"
    private static let protocolLevel: UInt8 = 4

    /// CONNECT flags (§3.1.2.3): user name, password, clean session; no will.
    private func writeConnect(_ connect: Connect, to buffer: inout ByteBuffer) {
        var flags: UInt8 = 0b0000_0010
        var length = 2 + Self.protocolName.utf8.count + 1 + 1 + 2 + 2 + connect.clientIdentifier.utf8.count
        if let userName = connect.userName {
            flags |= 0b1000_0000
            length += 2 + userName.utf8.count
            if let password = connect.password {
                flags |= 0b0100_0000
                length += 2 + password.utf8.count
            }
        }
        buffer.writeInteger(PacketType.connect.rawValue << 4)
        MQTTRemainingLength.write(length, to: &buffer)
        Self.writeString(Self.protocolName, to: &buffer)
        buffer.writeMultipleIntegers(Self.protocolLevel, flags, connect.keepAliveSeconds)
        Self.writeString(connect.clientIdentifier, to: &buffer)
        if let userName = connect.userName {
            Self.writeString(userName, to: &buffer)
            if let password = connect.password { Self.writeString(password, to: &buffer) }
        }
    }

    /// PUBLISH fixed-header flags (§3.3.1): DUP, QoS, RETAIN.
    private func writePublish(_ publish: Publish, to buffer: inout ByteBuffer) {
        precondition(
            (publish.packetIdentifier != nil) == (publish.qualityOfService != .atMostOnce),
            "a packet identifier goes with QoS 1 and 2 only")
        var flags = publish.qualityOfService.rawValue << 1
        if publish.duplicate { flags |= 0b1000 }
        if publish.retain { flags |= 0b0001 }
        let length =
            2 + publish.topic.utf8.count + (publish.packetIdentifier == nil ? 0 : 2) + publish.payload.readableBytes
        buffer.writeInteger(PacketType.publish.rawValue << 4 | flags)
        MQTTRemainingLength.write(length, to: &buffer)
        Self.writeString(publish.topic, to: &buffer)
        if let identifier = publish.packetIdentifier { buffer.writeInteger(identifier) }
        buffer.writeImmutableBuffer(publish.payload)
    }

    private static func writeIdentifierOnly(
        _ type: PacketType, flags: UInt8, _ identifier: UInt16, to buffer: inout ByteBuffer
    ) {
        buffer.writeMultipleIntegers(type.rawValue << 4 | flags, UInt8(2), identifier)
    }

    /// A UTF-8 encoded string (§1.5.3): a 16-bit big-endian length, then the bytes.
    private static func writeString(_ string: String, to buffer: inout ByteBuffer) {
        let length = string.utf8.count
        precondition(length <= maximumFieldLength, "a string of \(length) bytes")
        buffer.writeInteger(UInt16(length))
        buffer.writeString(string)
    }

    /// The bytes ``write(to:)`` appends for a PUBLISH of `topicLength` bytes of topic and `payloadLength` bytes of
    /// payload, or `nil` when it cannot be encoded (a topic above 65,535 bytes or a packet above 256 MiB).
    package static func publishSize(topicLength: Int, payloadLength: Int, hasPacketIdentifier: Bool) -> Int? {
        guard topicLength <= maximumFieldLength, payloadLength <= maximumRemainingLength else { return nil }
        let length = 2 + topicLength + (hasPacketIdentifier ? 2 : 0) + payloadLength
        guard length <= maximumRemainingLength else { return nil }
        return 1 + MQTTRemainingLength.encodedSize(of: length) + length
    }
}
