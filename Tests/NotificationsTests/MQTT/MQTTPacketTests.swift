import NIOCore
import Notifications
import Testing

/// The exact bytes of every packet Atrium sends (MQTT 3.1.1 §3).
@Suite("MQTT packet encoding")
struct MQTTPacketTests {
    static func bytes(_ packet: MQTTPacket) -> [UInt8] {
        var buffer = ByteBuffer()
        packet.write(to: &buffer)
        return Array(buffer.readableBytesView)
    }

    static let connectHeader: [UInt8] = [0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04]

    @Test("CONNECT without credentials: MQTT level 4, clean session, keep-alive, client identifier")
    func connectWithoutCredentials() {
        let packet = MQTTPacket.connect(.init(clientIdentifier: "atrium-1", keepAliveSeconds: 60))
        #expect(
            Self.bytes(packet) == [0x10, 20] + Self.connectHeader + [0x02, 0x00, 0x3C, 0x00, 0x08]
                + Array("atrium-1".utf8))
    }

    @Test("CONNECT with user name and password sets both flags and appends both strings")
    func connectWithCredentials() {
        let packet = MQTTPacket.connect(
            .init(clientIdentifier: "atrium-1", keepAliveSeconds: 300, userName: "u", password: "pw"))
        #expect(
            Self.bytes(packet) == [0x10, 27] + Self.connectHeader + [0xC2, 0x01, 0x2C, 0x00, 0x08]
                + Array("atrium-1".utf8) + [0x00, 0x01, 0x75, 0x00, 0x02, 0x70, 0x77])
    }

    @Test("CONNECT with a user name only sets the user name flag")
    func connectWithUserNameOnly() {
        let packet = MQTTPacket.connect(.init(clientIdentifier: "c", keepAliveSeconds: 0, userName: "user"))
        #expect(
            Self.bytes(packet) == [0x10, 19] + Self.connectHeader + [0x82, 0x00, 0x00, 0x00, 0x01, 0x63, 0x00, 0x04]
                + Array("user".utf8))
    }

    @Test("CONNECT ignores a password without user name (§3.1.2.9)")
    func connectWithPasswordOnly() {
        let packet = MQTTPacket.connect(.init(clientIdentifier: "c", keepAliveSeconds: 60, password: "secret"))
        #expect(Self.bytes(packet) == [0x10, 13] + Self.connectHeader + [0x02, 0x00, 0x3C, 0x00, 0x01, 0x63])
    }

    @Test(
        "PUBLISH: QoS and RETAIN in the fixed header, the packet identifier only for QoS 1 and 2",
        arguments: [
            (MQTTQualityOfService.atMostOnce, false, nil, [0x30, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69]),
            (.atMostOnce, true, nil, [0x31, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69]),
            (.atLeastOnce, false, 10, [0x32, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x0A, 0x68, 0x69]),
            (.atLeastOnce, true, 10, [0x33, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x0A, 0x68, 0x69]),
            (.exactlyOnce, false, 0x1234, [0x34, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x12, 0x34, 0x68, 0x69]),
            (.exactlyOnce, true, 0x1234, [0x35, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x12, 0x34, 0x68, 0x69]),
        ] as [(MQTTQualityOfService, Bool, UInt16?, [UInt8])])
    func publish(quality: MQTTQualityOfService, retain: Bool, identifier: UInt16?, expected: [UInt8]) {
        let packet = MQTTPacket.publish(
            .init(
                topic: "a/b", payload: ByteBuffer(string: "hi"), qualityOfService: quality, retain: retain,
                packetIdentifier: identifier))
        #expect(Self.bytes(packet) == expected)
    }

    @Test("PUBLISH with DUP sets bit 3")
    func publishDuplicate() {
        let packet = MQTTPacket.publish(
            .init(
                topic: "t", payload: ByteBuffer(), qualityOfService: .atLeastOnce, duplicate: true, packetIdentifier: 1)
        )
        #expect(Self.bytes(packet) == [0x3A, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])
    }

    @Test("PUBLISH of 128 bytes and more takes a two-byte Remaining Length")
    func publishRemainingLengthOfTwoBytes() {
        let payload = ByteBuffer(repeating: 0x41, count: 125)
        let encoded = Self.bytes(.publish(.init(topic: "t", payload: payload, qualityOfService: .atMostOnce)))
        #expect(Array(encoded.prefix(5)) == [0x30, 0x80, 0x01, 0x00, 0x01])
        #expect(encoded.count == 1 + 2 + 128)
        #expect(MQTTPacket.publishSize(topicLength: 1, payloadLength: 125, hasPacketIdentifier: false) == 131)
    }

    @Test("a PUBLISH above 268,435,455 bytes or with a topic above 65,535 bytes has no size")
    func publishSizeLimits() {
        #expect(MQTTPacket.publishSize(topicLength: 65_536, payloadLength: 0, hasPacketIdentifier: false) == nil)
        #expect(
            MQTTPacket.publishSize(topicLength: 1, payloadLength: 268_435_455 - 3, hasPacketIdentifier: false)
                == 268_435_455 + 5)
        #expect(
            MQTTPacket.publishSize(topicLength: 1, payloadLength: 268_435_455 - 3, hasPacketIdentifier: true) == nil)
    }

    @Test(
        "PUBACK, PUBREC, PUBREL (flags 0b0010), PUBCOMP: type, length 2, packet identifier",
        arguments: [
            (MQTTPacket.publishAcknowledgement(packetIdentifier: 7), [0x40, 0x02, 0x00, 0x07]),
            (.publishReceived(packetIdentifier: 0x0102), [0x50, 0x02, 0x01, 0x02]),
            (.publishRelease(packetIdentifier: 7), [0x62, 0x02, 0x00, 0x07]),
            (.publishRelease(packetIdentifier: 65_535), [0x62, 0x02, 0xFF, 0xFF]),
            (.publishComplete(packetIdentifier: 7), [0x70, 0x02, 0x00, 0x07]),
        ] as [(MQTTPacket, [UInt8])])
    func acknowledgements(packet: MQTTPacket, expected: [UInt8]) {
        #expect(Self.bytes(packet) == expected)
    }

    @Test("PINGREQ, PINGRESP and DISCONNECT are two bytes")
    func emptyPackets() {
        #expect(Self.bytes(.pingRequest) == [0xC0, 0x00])
        #expect(Self.bytes(.pingResponse) == [0xD0, 0x00])
        #expect(Self.bytes(.disconnect) == [0xE0, 0x00])
    }

    @Test("SUBSCRIBE: flags 0b0010, packet identifier, each filter with its QoS")
    func subscribe() {
        let packet = MQTTPacket.subscribe(
            .init(packetIdentifier: 1, filters: [.init("t/#", qualityOfService: .atLeastOnce)]))
        #expect(Self.bytes(packet) == [0x82, 0x08, 0x00, 0x01, 0x00, 0x03, 0x74, 0x2F, 0x23, 0x01])
    }

    @Test("CONNACK and SUBACK encode as a broker sends them")
    func brokerPackets() {
        #expect(
            Self.bytes(.connectAcknowledgement(.init(returnCode: .badUserNameOrPassword))) == [0x20, 0x02, 0x00, 0x04])
        #expect(
            Self.bytes(.connectAcknowledgement(.init(sessionPresent: true, returnCode: .accepted))) == [
                0x20, 0x02, 0x01, 0x00,
            ])
        #expect(
            Self.bytes(.subscribeAcknowledgement(.init(packetIdentifier: 3, grantedQualities: [.exactlyOnce, nil])))
                == [0x90, 0x04, 0x00, 0x03, 0x02, 0x80])
    }

    @Test(
        "CONNACK return codes read as the specification names them (Table 3.1)",
        arguments: [
            (0, "Connection Accepted"),
            (1, "Connection Refused, unacceptable protocol version"),
            (2, "Connection Refused, identifier rejected"),
            (3, "Connection Refused, Server unavailable"),
            (4, "Connection Refused, bad user name or password"),
            (5, "Connection Refused, not authorized"),
            (6, "Connection Refused, reserved return code 6"),
            (255, "Connection Refused, reserved return code 255"),
        ] as [(UInt8, String)])
    func returnCodeText(code: UInt8, text: String) {
        #expect(MQTTConnectReturnCode(rawValue: code).description == text)
    }
}
