/// The client side of one MQTT 3.1.1 connection for publishing: events in, actions out, no I/O.
///
/// The channel handler reports what happened (connection established, packet received, publication requested,
/// keep-alive tick, timeouts, connection closed) and carries out the returned actions in order. States:
/// `idle` (no TCP connection yet), `connecting` (CONNECT sent, waiting for CONNACK), `connected`, `closing`
/// (DISCONNECT sent or the connection is being closed) and `closed`.
///
/// Publications requested before CONNACK wait and are written once it accepts the connection. The QoS flows are
/// those of §4.3: QoS 0 completes once written, QoS 1 on PUBACK, QoS 2 on PUBCOMP after PUBREC and PUBREL. Packet
/// identifiers (§2.3.1) run 1…65535 and wrap, skipping those in flight. A publication that timed out keeps its
/// packet identifier until the broker completes the exchange, so a late acknowledgement is no violation.
package struct MQTTConnectionStateMachine: Sendable {
    /// Names one requested publication in the actions that complete it.
    package struct PublicationID: Hashable, Sendable, CustomStringConvertible {
        /// Allocated in request order from 1, never reused on one connection.
        package let rawValue: UInt64

        /// `publication N`, for messages.
        package var description: String { "publication \(rawValue)" }
    }

    /// What the handler must do, in order.
    package enum Action: Sendable, Equatable {
        /// Write the packet; when `completing` names a publication (QoS 0), it succeeds once the write does.
        case write(MQTTPacket, completing: PublicationID? = nil)
        /// The publication is acknowledged as its QoS requires.
        case succeed(PublicationID)
        /// The publication failed, for `reason` (a ``MQTTFailureReason`` text).
        case fail(PublicationID, reason: String)
        /// Close the connection; the error says which violation, `nil` for an orderly close or a refusal.
        case close(MQTTProtocolError?)
    }

    private enum State: Sendable, Equatable {
        case idle, connecting, connected, closing, closed
    }

    /// Where a QoS 1 or 2 PUBLISH stands.
    private enum Phase: Sendable, Equatable {
        case awaitingAcknowledgement
        case awaitingReceived
        case awaitingComplete
    }

    private struct InFlight: Sendable {
        /// `nil` once the publication has timed out: the exchange runs on, but nobody waits for it.
        var publication: PublicationID?
        var phase: Phase
    }

    private let connect: MQTTPacket.Connect
    private var state = State.idle
    /// Publications requested before CONNACK, in order.
    private var waiting: [(PublicationID, MQTTPacket.Publish)] = []
    private var inFlight: [UInt16: InFlight] = [:]
    private var packetIdentifiers: [PublicationID: UInt16] = [:]
    private var nextPacketIdentifier: UInt16
    private var nextPublication: UInt64 = 1
    private var pingOutstanding = false

    /// - Parameters:
    ///   - connect: the CONNECT to send once the TCP connection is up.
    ///   - firstPacketIdentifier: where packet identifiers start (1…65535).
    package init(connect: MQTTPacket.Connect, firstPacketIdentifier: UInt16 = 1) {
        precondition(firstPacketIdentifier != 0, "packet identifiers start at 1")
        self.connect = connect
        self.nextPacketIdentifier = firstPacketIdentifier
    }

    /// Whether no publication is waiting or in flight: the connection may be closed as idle.
    package var isIdle: Bool { waiting.isEmpty && inFlight.isEmpty }

    /// Why the connection closed or is closing (a ``MQTTFailureReason`` text or a CONNACK refusal); `nil` while it
    /// is open.
    package private(set) var closeReason: String?

    /// Whether the connection still takes publications: it is not closing or closed.
    package var isOpen: Bool {
        switch state {
        case .idle, .connecting, .connected: true
        case .closing, .closed: false
        }
    }

    /// Whether the broker accepted the connection and it is not closing.
    package var isConnected: Bool { state == .connected }

    // MARK: - Events

    /// The TCP connection is up: CONNECT goes out.
    package mutating func connectionEstablished() -> [Action] {
        guard state == .idle else { return [] }
        state = .connecting
        return [.write(.connect(connect))]
    }

    /// A publication is requested; its packet identifier, if its QoS needs one, is chosen here.
    ///
    /// - Parameter publish: the PUBLISH, without packet identifier.
    /// - Returns: the publication's identifier and the actions: the PUBLISH to write, or nothing while waiting
    ///   for CONNACK, or its failure once the connection is closing.
    package mutating func publishRequested(_ publish: MQTTPacket.Publish) -> (PublicationID, [Action]) {
        let publication = PublicationID(rawValue: nextPublication)
        nextPublication += 1
        switch state {
        case .idle, .connecting:
            waiting.append((publication, publish))
            return (publication, [])
        case .connected:
            return (publication, [send(publish, for: publication)])
        case .closing, .closed:
            return (publication, [.fail(publication, reason: MQTTFailureReason.connectionClosed)])
        }
    }

    /// A packet from the broker.
    package mutating func packetReceived(_ packet: MQTTPacket) -> [Action] {
        switch state {
        case .idle:
            return violation("\(packet.typeName) before CONNECT")
        case .connecting:
            guard case .connectAcknowledgement(let acknowledgement) = packet else {
                return violation("\(packet.typeName) before CONNACK")
            }
            guard acknowledgement.returnCode == .accepted else {
                return failAll(MQTTFailureReason.refused(acknowledgement.returnCode), then: .close(nil))
            }
            guard !acknowledgement.sessionPresent else {
                return violation("CONNACK with Session Present after a clean-session CONNECT")
            }
            state = .connected
            let ready = waiting
            waiting = []
            return ready.map { send($0.1, for: $0.0) }
        case .connected:
            return receivedWhileConnected(packet)
        case .closing, .closed:
            return []
        }
    }

    /// The decoder refused the broker's bytes.
    package mutating func decodingFailed(_ error: MQTTProtocolError) -> [Action] {
        switch state {
        case .closing, .closed: return []
        case .idle, .connecting, .connected: return failAll(MQTTFailureReason.protocolError(error), then: .close(error))
        }
    }

    /// A keep-alive tick (the handler ticks every half keep-alive period, §3.1.2.10): PINGREQ goes out, unless
    /// the last one is still unanswered, which closes the connection.
    package mutating func keepAliveTick() -> [Action] {
        guard state == .connected else { return [] }
        guard !pingOutstanding else {
            let error = MQTTProtocolError(.keepAliveTimeout, "no PINGRESP before the next keep-alive tick")
            return failAll(MQTTFailureReason.protocolError(error), then: .close(error))
        }
        pingOutstanding = true
        return [.write(.pingRequest)]
    }

    /// The connect timeout passed: without CONNACK by now, the connection is given up.
    package mutating func connectTimedOut() -> [Action] {
        switch state {
        case .idle, .connecting: return failAll(MQTTFailureReason.connectTimeout, then: .close(nil))
        case .connected, .closing, .closed: return []
        }
    }

    /// The publication's own timeout passed: it fails now; its exchange with the broker may still complete.
    package mutating func publicationTimedOut(_ publication: PublicationID) -> [Action] {
        if let index = waiting.firstIndex(where: { $0.0 == publication }) {
            waiting.remove(at: index)
            return [.fail(publication, reason: MQTTFailureReason.acknowledgementTimeout)]
        }
        guard let identifier = packetIdentifiers.removeValue(forKey: publication) else { return [] }
        inFlight[identifier]?.publication = nil
        return [.fail(publication, reason: MQTTFailureReason.acknowledgementTimeout)]
    }

    /// Atrium closes the connection (shutdown, or idle past the maximum age): DISCONNECT if connected, then close;
    /// publications still pending fail.
    package mutating func disconnectRequested() -> [Action] {
        switch state {
        case .connected:
            var actions: [Action] = [.write(.disconnect)]
            actions += failAll(MQTTFailureReason.connectionClosed, then: .close(nil))
            return actions
        case .idle, .connecting:
            return failAll(MQTTFailureReason.connectionClosed, then: .close(nil))
        case .closing, .closed:
            return []
        }
    }

    /// The connection is closed, by either side: every pending publication fails.
    package mutating func connectionClosed() -> [Action] {
        guard state != .closed else { return [] }
        let reason = state == .closing ? MQTTFailureReason.connectionClosed : MQTTFailureReason.connectionLost
        let actions = failAll(reason, then: nil)
        state = .closed
        return actions
    }

    // MARK: - Connected

    private mutating func receivedWhileConnected(_ packet: MQTTPacket) -> [Action] {
        switch packet {
        case .publishAcknowledgement(let identifier):
            guard inFlight[identifier]?.phase == .awaitingAcknowledgement else {
                return violation("PUBACK for packet identifier \(identifier), not awaiting one")
            }
            return complete(identifier)
        case .publishReceived(let identifier):
            guard inFlight[identifier]?.phase == .awaitingReceived else {
                return violation("PUBREC for packet identifier \(identifier), not awaiting one")
            }
            inFlight[identifier]?.phase = .awaitingComplete
            return [.write(.publishRelease(packetIdentifier: identifier))]
        case .publishComplete(let identifier):
            guard inFlight[identifier]?.phase == .awaitingComplete else {
                return violation("PUBCOMP for packet identifier \(identifier), not awaiting one")
            }
            return complete(identifier)
        case .pingResponse:
            guard pingOutstanding else { return violation("PINGRESP without PINGREQ") }
            pingOutstanding = false
            return []
        case .connectAcknowledgement:
            return violation("a second CONNACK")
        case .connect, .publish, .publishRelease, .subscribe, .subscribeAcknowledgement, .pingRequest, .disconnect:
            return violation("\(packet.typeName), which a publisher never asked for")
        }
    }

    /// The PUBLISH action for a publication, with a packet identifier for QoS 1 and 2.
    private mutating func send(_ publish: MQTTPacket.Publish, for publication: PublicationID) -> Action {
        guard publish.qualityOfService != .atMostOnce else {
            var packet = publish
            packet.packetIdentifier = nil
            return .write(.publish(packet), completing: publication)
        }
        guard let identifier = allocatePacketIdentifier() else {
            return .fail(publication, reason: MQTTFailureReason.noPacketIdentifier)
        }
        let phase: Phase = publish.qualityOfService == .atLeastOnce ? .awaitingAcknowledgement : .awaitingReceived
        inFlight[identifier] = InFlight(publication: publication, phase: phase)
        packetIdentifiers[publication] = identifier
        var packet = publish
        packet.packetIdentifier = identifier
        return .write(.publish(packet))
    }

    /// The next packet identifier not in flight, from where the last one left off; `nil` when all 65,535 are.
    private mutating func allocatePacketIdentifier() -> UInt16? {
        guard inFlight.count < Int(UInt16.max) else { return nil }
        while inFlight[nextPacketIdentifier] != nil { advancePacketIdentifier() }
        let identifier = nextPacketIdentifier
        advancePacketIdentifier()
        return identifier
    }

    private mutating func advancePacketIdentifier() {
        nextPacketIdentifier = nextPacketIdentifier == UInt16.max ? 1 : nextPacketIdentifier + 1
    }

    /// The exchange of `identifier` is over: its publication, if still waited for, succeeds.
    private mutating func complete(_ identifier: UInt16) -> [Action] {
        guard let entry = inFlight.removeValue(forKey: identifier), let publication = entry.publication else {
            return []
        }
        packetIdentifiers[publication] = nil
        return [.succeed(publication)]
    }

    // MARK: - Failure

    private mutating func violation(_ message: String) -> [Action] {
        let error = MQTTProtocolError(.unexpectedPacket, message)
        return failAll(MQTTFailureReason.protocolError(error), then: .close(error))
    }

    /// Fails every waiting and in-flight publication, in the order requested, and moves to `closing` when a close
    /// follows.
    private mutating func failAll(_ reason: String, then close: Action?) -> [Action] {
        if closeReason == nil { closeReason = reason }
        var failed = waiting.map(\.0)
        failed += inFlight.values.compactMap(\.publication)
        failed.sort { $0.rawValue < $1.rawValue }
        waiting = []
        inFlight = [:]
        packetIdentifiers = [:]
        var actions = failed.map { Action.fail($0, reason: reason) }
        if let close {
            state = .closing
            actions.append(close)
        }
        return actions
    }
}
