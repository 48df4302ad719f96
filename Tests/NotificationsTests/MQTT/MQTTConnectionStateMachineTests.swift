import NIOCore
import Notifications
import Testing

/// The connection state machine driven directly, without sockets: every QoS flow, packet identifiers, refusals,
/// violations, timeouts and losses.
@Suite("MQTT connection state machine")
struct MQTTConnectionStateMachineTests {
    typealias Machine = MQTTConnectionStateMachine

    static let connect = MQTTPacket.Connect(clientIdentifier: "atrium-test", keepAliveSeconds: 60)
    static let accepted = MQTTPacket.connectAcknowledgement(.init(returnCode: .accepted))

    static func request(_ quality: MQTTQualityOfService, _ payload: String = "x", retain: Bool = false)
        -> MQTTPacket.Publish
    {
        MQTTPacket.Publish(topic: "t", payload: ByteBuffer(string: payload), qualityOfService: quality, retain: retain)
    }

    static func sent(_ quality: MQTTQualityOfService, _ identifier: UInt16?, _ payload: String = "x") -> MQTTPacket {
        .publish(
            MQTTPacket.Publish(
                topic: "t", payload: ByteBuffer(string: payload), qualityOfService: quality,
                packetIdentifier: identifier))
    }

    static func connected(firstPacketIdentifier: UInt16 = 1) -> Machine {
        var machine = Machine(connect: connect, firstPacketIdentifier: firstPacketIdentifier)
        _ = machine.connectionEstablished()
        _ = machine.packetReceived(accepted)
        return machine
    }

    // MARK: - Connecting

    @Test("the established connection sends CONNECT once, then waits for CONNACK")
    func connectIsSentOnce() {
        var machine = Machine(connect: Self.connect)
        #expect(machine.isOpen)
        #expect(machine.connectionEstablished() == [.write(.connect(Self.connect))])
        #expect(machine.connectionEstablished() == [])
        #expect(!machine.isConnected)
        #expect(machine.packetReceived(Self.accepted) == [])
        #expect(machine.isConnected)
    }

    @Test("publications requested before CONNACK wait, then go out in order once it accepts")
    func publicationsWaitForConnectionAcknowledgement() {
        var machine = Machine(connect: Self.connect)
        let (first, early) = machine.publishRequested(Self.request(.atLeastOnce, "1"))
        #expect(early == [])
        _ = machine.connectionEstablished()
        let (second, _) = machine.publishRequested(Self.request(.atMostOnce, "2"))
        let (third, _) = machine.publishRequested(Self.request(.exactlyOnce, "3"))
        #expect(!machine.isIdle)
        #expect(
            machine.packetReceived(Self.accepted) == [
                .write(Self.sent(.atLeastOnce, 1, "1")),
                .write(Self.sent(.atMostOnce, nil, "2"), completing: second),
                .write(Self.sent(.exactlyOnce, 2, "3")),
            ])
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [.succeed(first)])
        #expect(
            machine.packetReceived(.publishReceived(packetIdentifier: 2)) == [
                .write(.publishRelease(packetIdentifier: 2))
            ])
        #expect(machine.packetReceived(.publishComplete(packetIdentifier: 2)) == [.succeed(third)])
        #expect(machine.isIdle)
    }

    @Test(
        "a refusing CONNACK fails every waiting publication with the specification's text and closes",
        arguments: [
            (MQTTConnectReturnCode.unacceptableProtocolVersion, "Connection Refused, unacceptable protocol version"),
            (.identifierRejected, "Connection Refused, identifier rejected"),
            (.serverUnavailable, "Connection Refused, Server unavailable"),
            (.badUserNameOrPassword, "Connection Refused, bad user name or password"),
            (.notAuthorized, "Connection Refused, not authorized"),
            (MQTTConnectReturnCode(rawValue: 77), "Connection Refused, reserved return code 77"),
        ])
    func refusal(code: MQTTConnectReturnCode, text: String) {
        var machine = Machine(connect: Self.connect)
        _ = machine.connectionEstablished()
        let (first, _) = machine.publishRequested(Self.request(.atMostOnce))
        let (second, _) = machine.publishRequested(Self.request(.exactlyOnce))
        #expect(
            machine.packetReceived(.connectAcknowledgement(.init(returnCode: code))) == [
                .fail(first, reason: text), .fail(second, reason: text), .close(nil),
            ])
        #expect(!machine.isConnected)
        let (late, actions) = machine.publishRequested(Self.request(.atLeastOnce))
        #expect(actions == [.fail(late, reason: "MQTT connection closed")])
        #expect(machine.connectionClosed() == [])
    }

    @Test("CONNACK with Session Present after a clean-session CONNECT is a violation")
    func sessionPresent() {
        var machine = Machine(connect: Self.connect)
        _ = machine.connectionEstablished()
        let (publication, _) = machine.publishRequested(Self.request(.atMostOnce))
        let actions = machine.packetReceived(
            .connectAcknowledgement(.init(sessionPresent: true, returnCode: .accepted)))
        #expect(
            actions == [
                .fail(
                    publication,
                    reason: "MQTT protocol error: CONNACK with Session Present after a clean-session CONNECT"),
                .close(MQTTProtocolError(.unexpectedPacket, "")),
            ])
    }

    @Test("a packet other than CONNACK while connecting, or any packet before CONNECT, is a violation")
    func packetBeforeConnectionAcknowledgement() {
        var connecting = Machine(connect: Self.connect)
        _ = connecting.connectionEstablished()
        let (publication, _) = connecting.publishRequested(Self.request(.atLeastOnce))
        #expect(
            connecting.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [
                .fail(publication, reason: "MQTT protocol error: PUBACK before CONNACK"),
                .close(MQTTProtocolError(.unexpectedPacket, "")),
            ])
        var idle = Machine(connect: Self.connect)
        #expect(idle.packetReceived(.pingResponse) == [.close(MQTTProtocolError(.unexpectedPacket, ""))])
    }

    @Test("without CONNACK in time, the waiting publications fail with the connect timeout and the connection closes")
    func connectTimeout() {
        var machine = Machine(connect: Self.connect)
        _ = machine.connectionEstablished()
        let (publication, _) = machine.publishRequested(Self.request(.atLeastOnce))
        #expect(
            machine.connectTimedOut() == [.fail(publication, reason: "Timeout connecting to MQTT broker"), .close(nil)])
        #expect(machine.packetReceived(Self.accepted) == [])
        var connected = Self.connected()
        #expect(connected.connectTimedOut() == [])
        #expect(connected.isConnected)
    }

    // MARK: - QoS flows

    @Test("QoS 0 completes once written: no packet identifier, nothing awaited")
    func qualityOfServiceZero() {
        var machine = Self.connected()
        let (publication, actions) = machine.publishRequested(Self.request(.atMostOnce, retain: true))
        let expected = MQTTPacket.publish(
            .init(topic: "t", payload: ByteBuffer(string: "x"), qualityOfService: .atMostOnce, retain: true))
        #expect(actions == [.write(expected, completing: publication)])
        #expect(machine.isIdle)
    }

    @Test("QoS 1: PUBLISH, then PUBACK completes")
    func qualityOfServiceOne() {
        var machine = Self.connected()
        let (publication, actions) = machine.publishRequested(Self.request(.atLeastOnce))
        #expect(actions == [.write(Self.sent(.atLeastOnce, 1))])
        #expect(!machine.isIdle)
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [.succeed(publication)])
        #expect(machine.isIdle)
    }

    @Test("QoS 2: PUBLISH, PUBREC, then PUBREL goes out, then PUBCOMP completes")
    func qualityOfServiceTwo() {
        var machine = Self.connected()
        let (publication, actions) = machine.publishRequested(Self.request(.exactlyOnce))
        #expect(actions == [.write(Self.sent(.exactlyOnce, 1))])
        #expect(
            machine.packetReceived(.publishReceived(packetIdentifier: 1)) == [
                .write(.publishRelease(packetIdentifier: 1))
            ])
        #expect(!machine.isIdle)
        #expect(machine.packetReceived(.publishComplete(packetIdentifier: 1)) == [.succeed(publication)])
        #expect(machine.isIdle)
    }

    @Test("several publications are in flight at once and complete in whatever order the broker answers")
    func severalInFlight() {
        var machine = Self.connected()
        let (a, _) = machine.publishRequested(Self.request(.atLeastOnce))
        let (b, _) = machine.publishRequested(Self.request(.exactlyOnce))
        let (c, _) = machine.publishRequested(Self.request(.atLeastOnce))
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 3)) == [.succeed(c)])
        #expect(
            machine.packetReceived(.publishReceived(packetIdentifier: 2)) == [
                .write(.publishRelease(packetIdentifier: 2))
            ])
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [.succeed(a)])
        #expect(machine.packetReceived(.publishComplete(packetIdentifier: 2)) == [.succeed(b)])
        #expect(machine.isIdle)
    }

    // MARK: - Packet identifiers

    @Test("packet identifiers wrap from 65535 to 1, never 0")
    func packetIdentifierWrapAround() {
        var machine = Self.connected(firstPacketIdentifier: 65_534)
        #expect(machine.publishRequested(Self.request(.atLeastOnce)).1 == [.write(Self.sent(.atLeastOnce, 65_534))])
        #expect(machine.publishRequested(Self.request(.atLeastOnce)).1 == [.write(Self.sent(.atLeastOnce, 65_535))])
        #expect(machine.publishRequested(Self.request(.exactlyOnce)).1 == [.write(Self.sent(.exactlyOnce, 1))])
    }

    @Test("after wrapping, identifiers still in flight are skipped and completed ones are reused")
    func packetIdentifierReuse() {
        var machine = Self.connected()
        let (a, _) = machine.publishRequested(Self.request(.atLeastOnce))  // 1
        _ = machine.publishRequested(Self.request(.atLeastOnce))  // 2
        let (c, _) = machine.publishRequested(Self.request(.exactlyOnce))  // 3
        _ = machine.packetReceived(.publishAcknowledgement(packetIdentifier: 2))
        for identifier in UInt16(4)...UInt16.max {
            let (publication, actions) = machine.publishRequested(Self.request(.atLeastOnce))
            #expect(actions == [.write(Self.sent(.atLeastOnce, identifier))])
            #expect(
                machine.packetReceived(.publishAcknowledgement(packetIdentifier: identifier)) == [.succeed(publication)]
            )
        }
        // 1 and 3 are in flight, 2 is free again.
        #expect(machine.publishRequested(Self.request(.atLeastOnce)).1 == [.write(Self.sent(.atLeastOnce, 2))])
        #expect(machine.publishRequested(Self.request(.atLeastOnce)).1 == [.write(Self.sent(.atLeastOnce, 4))])
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [.succeed(a)])
        #expect(
            machine.packetReceived(.publishReceived(packetIdentifier: 3)) == [
                .write(.publishRelease(packetIdentifier: 3))
            ])
        #expect(machine.packetReceived(.publishComplete(packetIdentifier: 3)) == [.succeed(c)])
    }

    @Test("with all 65,535 identifiers in flight a publication fails at once; QoS 0 still goes out")
    func packetIdentifiersExhausted() {
        var machine = Self.connected()
        for _ in 1...65_535 { _ = machine.publishRequested(Self.request(.atLeastOnce)) }
        let (refused, actions) = machine.publishRequested(Self.request(.exactlyOnce))
        #expect(actions == [.fail(refused, reason: "Too many MQTT publications in flight")])
        let (unacknowledged, zero) = machine.publishRequested(Self.request(.atMostOnce))
        #expect(zero == [.write(Self.sent(.atMostOnce, nil), completing: unacknowledged)])
        _ = machine.packetReceived(.publishAcknowledgement(packetIdentifier: 500))
        #expect(machine.publishRequested(Self.request(.atLeastOnce)).1 == [.write(Self.sent(.atLeastOnce, 500))])
    }

    // MARK: - Violations

    @Test(
        "an unexpected packet while connected closes with a protocol error and fails everything pending",
        arguments: [
            (MQTTPacket.connectAcknowledgement(.init(returnCode: .accepted)), "a second CONNACK"),
            (.publishAcknowledgement(packetIdentifier: 9), "PUBACK for packet identifier 9, not awaiting one"),
            (.publishAcknowledgement(packetIdentifier: 2), "PUBACK for packet identifier 2, not awaiting one"),
            (.publishReceived(packetIdentifier: 1), "PUBREC for packet identifier 1, not awaiting one"),
            (.publishReceived(packetIdentifier: 3), "PUBREC for packet identifier 3, not awaiting one"),
            (.publishComplete(packetIdentifier: 2), "PUBCOMP for packet identifier 2, not awaiting one"),
            (.publishComplete(packetIdentifier: 1), "PUBCOMP for packet identifier 1, not awaiting one"),
            (.publishRelease(packetIdentifier: 1), "PUBREL, which a publisher never asked for"),
            (MQTTConnectionStateMachineTests.sent(.atMostOnce, nil), "PUBLISH, which a publisher never asked for"),
            (
                .subscribeAcknowledgement(.init(packetIdentifier: 1, grantedQualities: [.atMostOnce])),
                "SUBACK, which a publisher never asked for"
            ),
            (.pingResponse, "PINGRESP without PINGREQ"),
        ])
    func violation(packet: MQTTPacket, message: String) {
        var machine = Self.connected()
        let (first, _) = machine.publishRequested(Self.request(.atLeastOnce))  // 1
        let (second, _) = machine.publishRequested(Self.request(.exactlyOnce))  // 2
        let reason = "MQTT protocol error: \(message)"
        let actions = machine.packetReceived(packet)
        #expect(
            actions == [
                .fail(first, reason: reason), .fail(second, reason: reason),
                .close(MQTTProtocolError(.unexpectedPacket, "")),
            ])
        guard case .close(let error?) = actions.last else { return }
        #expect(error.message == message)
        #expect(!machine.isConnected)
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [])
        #expect(machine.connectionClosed() == [])
    }

    @Test("bytes the decoder refuses close the connection with the decoder's error")
    func decodingFailure() {
        var machine = Self.connected()
        let (publication, _) = machine.publishRequested(Self.request(.atLeastOnce))
        let error = MQTTProtocolError(.invalidFlags, "PUBREL with flags 0, not 2")
        #expect(
            machine.decodingFailed(error) == [
                .fail(publication, reason: "MQTT protocol error: PUBREL with flags 0, not 2"), .close(error),
            ])
        #expect(machine.decodingFailed(error) == [])
    }

    // MARK: - Keep-alive

    @Test("each keep-alive tick sends PINGREQ; a tick with the last one unanswered closes the connection")
    func keepAlive() {
        var machine = Self.connected()
        #expect(machine.keepAliveTick() == [.write(.pingRequest)])
        #expect(machine.packetReceived(.pingResponse) == [])
        #expect(machine.keepAliveTick() == [.write(.pingRequest)])
        let (publication, _) = machine.publishRequested(Self.request(.atLeastOnce))
        #expect(
            machine.keepAliveTick() == [
                .fail(publication, reason: "MQTT protocol error: no PINGRESP before the next keep-alive tick"),
                .close(MQTTProtocolError(.keepAliveTimeout, "")),
            ])
        var connecting = Machine(connect: Self.connect)
        _ = connecting.connectionEstablished()
        #expect(connecting.keepAliveTick() == [])
    }

    // MARK: - Timeouts, close and loss

    @Test("a publication that times out fails; its late acknowledgement is accepted, then its identifier is free")
    func publicationTimeout() {
        var machine = Self.connected()
        let (first, _) = machine.publishRequested(Self.request(.exactlyOnce))  // 1
        #expect(
            machine.publicationTimedOut(first) == [.fail(first, reason: "Timeout waiting for MQTT acknowledgement")])
        #expect(machine.publicationTimedOut(first) == [])
        #expect(!machine.isIdle)
        #expect(machine.publishRequested(Self.request(.atLeastOnce)).1 == [.write(Self.sent(.atLeastOnce, 2))])
        #expect(
            machine.packetReceived(.publishReceived(packetIdentifier: 1)) == [
                .write(.publishRelease(packetIdentifier: 1))
            ])
        #expect(machine.packetReceived(.publishComplete(packetIdentifier: 1)) == [])
        #expect(machine.isConnected)
    }

    @Test("a publication that times out before CONNACK is never sent")
    func publicationTimeoutWhileConnecting() {
        var machine = Machine(connect: Self.connect)
        _ = machine.connectionEstablished()
        let (first, _) = machine.publishRequested(Self.request(.atLeastOnce, "1"))
        _ = machine.publishRequested(Self.request(.atLeastOnce, "2"))
        #expect(
            machine.publicationTimedOut(first) == [.fail(first, reason: "Timeout waiting for MQTT acknowledgement")])
        #expect(machine.packetReceived(Self.accepted) == [.write(Self.sent(.atLeastOnce, 1, "2"))])
    }

    @Test("closing an open connection sends DISCONNECT, fails what is pending, and ignores what follows")
    func disconnect() {
        var machine = Self.connected()
        let (publication, _) = machine.publishRequested(Self.request(.atLeastOnce))
        #expect(
            machine.disconnectRequested() == [
                .write(.disconnect), .fail(publication, reason: "MQTT connection closed"), .close(nil),
            ])
        #expect(!machine.isOpen)
        #expect(machine.disconnectRequested() == [])
        #expect(machine.packetReceived(.publishAcknowledgement(packetIdentifier: 1)) == [])
        let (late, actions) = machine.publishRequested(Self.request(.atMostOnce))
        #expect(actions == [.fail(late, reason: "MQTT connection closed")])
        #expect(machine.connectionClosed() == [])
        var connecting = Machine(connect: Self.connect)
        _ = connecting.connectionEstablished()
        #expect(connecting.disconnectRequested() == [.close(nil)])
    }

    @Test("a lost connection fails every pending publication, waiting or in flight, in the order requested")
    func connectionLoss() {
        var machine = Self.connected()
        let (first, _) = machine.publishRequested(Self.request(.atLeastOnce))
        let (second, _) = machine.publishRequested(Self.request(.exactlyOnce))
        let (third, _) = machine.publishRequested(Self.request(.exactlyOnce))
        _ = machine.packetReceived(.publishReceived(packetIdentifier: 2))
        let lost = "Connection to MQTT broker lost"
        #expect(
            machine.connectionClosed() == [
                .fail(first, reason: lost), .fail(second, reason: lost), .fail(third, reason: lost),
            ])
        #expect(machine.connectionClosed() == [])
        #expect(machine.keepAliveTick() == [])
        var connecting = Machine(connect: Self.connect)
        _ = connecting.connectionEstablished()
        let (waiting, _) = connecting.publishRequested(Self.request(.atMostOnce))
        #expect(connecting.connectionClosed() == [.fail(waiting, reason: lost)])
    }
}
