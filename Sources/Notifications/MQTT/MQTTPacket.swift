package import NIOCore

/// The MQTT 3.1.1 control packets a publishing client exchanges with its broker (OASIS MQTT Version 3.1.1, §3),
/// and SUBSCRIBE and SUBACK, which let a test subscribe with the same codec.
///
/// ``write(to:)`` (in `MQTTPacket+Encoding.swift`) encodes a packet; ``MQTTPacketDecoder`` decodes what a broker
/// sends.
package enum MQTTPacket: Sendable, Equatable {
    /// CONNECT (§3.1): the first packet of a connection.
    case connect(Connect)
    /// CONNACK (§3.2): the broker's answer to CONNECT.
    case connectAcknowledgement(ConnectAcknowledgement)
    /// PUBLISH (§3.3): an application message.
    case publish(Publish)
    /// PUBACK (§3.4): the answer to a QoS 1 PUBLISH.
    case publishAcknowledgement(packetIdentifier: UInt16)
    /// PUBREC (§3.5): the first answer to a QoS 2 PUBLISH.
    case publishReceived(packetIdentifier: UInt16)
    /// PUBREL (§3.6): the publisher's answer to PUBREC.
    case publishRelease(packetIdentifier: UInt16)
    /// PUBCOMP (§3.7): the last packet of a QoS 2 exchange.
    case publishComplete(packetIdentifier: UInt16)
    /// SUBSCRIBE (§3.8): topic filters and their maximum QoS.
    case subscribe(Subscribe)
    /// SUBACK (§3.9): the QoS granted to each filter of a SUBSCRIBE, or failure.
    case subscribeAcknowledgement(SubscribeAcknowledgement)
    /// PINGREQ (§3.12): keeps an idle connection alive.
    case pingRequest
    /// PINGRESP (§3.13): the answer to PINGREQ.
    case pingResponse
    /// DISCONNECT (§3.14): the client's last packet.
    case disconnect

    /// The fields of CONNECT that Atrium sets: the session is always clean (§3.1.2.4), and there is no will.
    package struct Connect: Sendable, Equatable {
        /// The client identifier (§3.1.3.1).
        package var clientIdentifier: String
        /// The keep-alive interval in seconds (§3.1.2.10); 0 turns keep-alive off.
        package var keepAliveSeconds: UInt16
        /// The user name, if any (§3.1.3.4).
        package var userName: String?
        /// The password, if any (§3.1.3.5); sent only with a user name (§3.1.2.9).
        package var password: String?

        /// A CONNECT with a clean session and no will.
        package init(
            clientIdentifier: String, keepAliveSeconds: UInt16, userName: String? = nil, password: String? = nil
        ) {
            self.clientIdentifier = clientIdentifier
            self.keepAliveSeconds = keepAliveSeconds
            self.userName = userName
            self.password = password
        }
    }

    /// The variable header of CONNACK (§3.2.2).
    package struct ConnectAcknowledgement: Sendable, Equatable {
        /// Whether the broker kept a session for the client (always false after a clean-session CONNECT).
        package var sessionPresent: Bool
        /// Whether the connection is accepted, and if not, why.
        package var returnCode: MQTTConnectReturnCode

        /// A CONNACK; the session is absent unless said.
        package init(sessionPresent: Bool = false, returnCode: MQTTConnectReturnCode) {
            self.sessionPresent = sessionPresent
            self.returnCode = returnCode
        }
    }

    /// An application message (§3.3).
    package struct Publish: Sendable, Equatable {
        /// The topic name: no wildcards (§3.3.2.1).
        package var topic: String
        /// The payload, as the application gave it (§3.3.3).
        package var payload: ByteBuffer
        /// The QoS level (§3.3.1.2).
        package var qualityOfService: MQTTQualityOfService
        /// The RETAIN flag (§3.3.1.3).
        package var retain: Bool
        /// The DUP flag (§3.3.1.1): a redelivery; never set with QoS 0.
        package var duplicate: Bool
        /// The packet identifier (§2.3.1), present only for QoS 1 and 2.
        package var packetIdentifier: UInt16?

        /// A PUBLISH; `packetIdentifier` must be given for QoS 1 and 2 only.
        package init(
            topic: String, payload: ByteBuffer, qualityOfService: MQTTQualityOfService, retain: Bool = false,
            duplicate: Bool = false, packetIdentifier: UInt16? = nil
        ) {
            self.topic = topic
            self.payload = payload
            self.qualityOfService = qualityOfService
            self.retain = retain
            self.duplicate = duplicate
            self.packetIdentifier = packetIdentifier
        }
    }

    /// A subscription request (§3.8).
    package struct Subscribe: Sendable, Equatable {
        /// The packet identifier (§2.3.1).
        package var packetIdentifier: UInt16
        /// The topic filters, each with the largest QoS requested.
        package var filters: [Filter]

        /// One topic filter and its requested QoS (§3.8.3).
        package struct Filter: Sendable, Equatable {
            /// The filter, wildcards allowed (§4.7.1).
            package var topicFilter: String
            /// The largest QoS the subscriber takes.
            package var qualityOfService: MQTTQualityOfService

            /// A filter and its requested QoS.
            package init(_ topicFilter: String, qualityOfService: MQTTQualityOfService) {
                self.topicFilter = topicFilter
                self.qualityOfService = qualityOfService
            }
        }

        /// A SUBSCRIBE of one or more filters.
        package init(packetIdentifier: UInt16, filters: [Filter]) {
            self.packetIdentifier = packetIdentifier
            self.filters = filters
        }
    }

    /// The broker's answer to SUBSCRIBE (§3.9).
    package struct SubscribeAcknowledgement: Sendable, Equatable {
        /// The identifier of the SUBSCRIBE answered.
        package var packetIdentifier: UInt16
        /// For each filter, in order, the QoS granted, or `nil` for failure (return code 0x80).
        package var grantedQualities: [MQTTQualityOfService?]

        /// A SUBACK answering the SUBSCRIBE of `packetIdentifier`.
        package init(packetIdentifier: UInt16, grantedQualities: [MQTTQualityOfService?]) {
            self.packetIdentifier = packetIdentifier
            self.grantedQualities = grantedQualities
        }
    }
}

extension MQTTPacket {
    /// The specification's name of the packet's type (`CONNACK`, `PUBACK`, …), for messages.
    package var typeName: String { packetType.name }

    var packetType: PacketType {
        switch self {
        case .connect: .connect
        case .connectAcknowledgement: .connectAcknowledgement
        case .publish: .publish
        case .publishAcknowledgement: .publishAcknowledgement
        case .publishReceived: .publishReceived
        case .publishRelease: .publishRelease
        case .publishComplete: .publishComplete
        case .subscribe: .subscribe
        case .subscribeAcknowledgement: .subscribeAcknowledgement
        case .pingRequest: .pingRequest
        case .pingResponse: .pingResponse
        case .disconnect: .disconnect
        }
    }

    /// The control packet types of the fixed header's high nibble (§2.2.1, Table 2.1).
    enum PacketType: UInt8 {
        case connect = 1
        case connectAcknowledgement = 2
        case publish = 3
        case publishAcknowledgement = 4
        case publishReceived = 5
        case publishRelease = 6
        case publishComplete = 7
        case subscribe = 8
        case subscribeAcknowledgement = 9
        case unsubscribe = 10
        case unsubscribeAcknowledgement = 11
        case pingRequest = 12
        case pingResponse = 13
        case disconnect = 14

        /// The specification's name of the type, for messages.
        var name: String {
            switch self {
            case .connect: "CONNECT"
            case .connectAcknowledgement: "CONNACK"
            case .publish: "PUBLISH"
            case .publishAcknowledgement: "PUBACK"
            case .publishReceived: "PUBREC"
            case .publishRelease: "PUBREL"
            case .publishComplete: "PUBCOMP"
            case .subscribe: "SUBSCRIBE"
            case .subscribeAcknowledgement: "SUBACK"
            case .unsubscribe: "UNSUBSCRIBE"
            case .unsubscribeAcknowledgement: "UNSUBACK"
            case .pingRequest: "PINGREQ"
            case .pingResponse: "PINGRESP"
            case .disconnect: "DISCONNECT"
            }
        }
    }

    /// The largest Remaining Length that 4 bytes encode (§2.2.3): 268,435,455.
    package static let maximumRemainingLength = 268_435_455
    /// The longest UTF-8 encoded string or binary field, in bytes: its length prefix is 16 bits (§1.5.3).
    package static let maximumFieldLength = 65_535
}
