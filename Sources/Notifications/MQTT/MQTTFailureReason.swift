/// The texts of ``DeliveryOutcome/failed(reason:)`` for MQTT, written once.
package enum MQTTFailureReason {
    /// The TCP connection to the broker could not be made.
    package static let couldNotConnect = "Couldn't connect to MQTT broker"
    /// No CONNACK (or no TCP connection) within the connect timeout (`-mqttTimeout`).
    package static let connectTimeout = "Timeout connecting to MQTT broker"
    /// The acknowledgement the QoS requires did not come in time.
    package static let acknowledgementTimeout = "Timeout waiting for MQTT acknowledgement"
    /// The connection closed with the publication in flight.
    package static let connectionLost = "Connection to MQTT broker lost"
    /// Atrium closed the connection (shutdown) with the publication in flight.
    package static let connectionClosed = "MQTT connection closed"
    /// Every packet identifier (1…65535) is taken by a publication in flight.
    package static let noPacketIdentifier = "Too many MQTT publications in flight"
    /// The destination of the notification is not an MQTT broker.
    package static let notMQTT = "Not an MQTT destination"

    /// A broker that broke the protocol.
    package static func protocolError(_ error: MQTTProtocolError) -> String { error.description }

    /// A CONNACK refusal, named as the specification does (e.g. `Connection Refused, bad user name or password`).
    package static func refused(_ code: MQTTConnectReturnCode) -> String { code.description }
}
