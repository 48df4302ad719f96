/// A violation of MQTT 3.1.1 by the broker, or a packet Atrium cannot take: the connection is closed and every
/// publication waiting on it fails.
///
/// Equality is by ``code``; ``message`` says precisely what was wrong, without topic names, payloads or
/// credentials.
package struct MQTTProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of violation.
    package let code: Code
    /// A short explanation for the log.
    package let message: String
    /// The file where the error was raised.
    package let file: String
    /// The line where the error was raised.
    package let line: Int

    /// An error of `code`, explained by `message`, raised at `file` and `line`.
    package init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `MQTT protocol error: ` and the message: the reason a publication fails with.
    package var description: String { "MQTT protocol error: \(message)" }

    /// Errors are equal when their codes are.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// The kinds of ``MQTTProtocolError``.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case reservedPacketType, unexpectedPacketType, invalidFlags, malformedRemainingLength, packetTooLarge
            case malformedPacket, invalidString, unexpectedPacket, keepAliveTimeout
        }
        private let kind: Kind

        /// Packet type 0 or 15, reserved (MQTT 3.1.1 §2.2.1).
        package static let reservedPacketType = Code(kind: .reservedPacketType)
        /// A packet only a client sends (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT), or one a publisher
        /// never asked for (UNSUBACK).
        package static let unexpectedPacketType = Code(kind: .unexpectedPacketType)
        /// Fixed-header flags other than the ones the packet type requires (§2.2.2), or PUBLISH with QoS 3.
        package static let invalidFlags = Code(kind: .invalidFlags)
        /// A Remaining Length of more than 4 bytes (§2.2.3).
        package static let malformedRemainingLength = Code(kind: .malformedRemainingLength)
        /// A packet above the largest size accepted.
        package static let packetTooLarge = Code(kind: .packetTooLarge)
        /// A variable header or payload of the wrong length or with a field out of range.
        package static let malformedPacket = Code(kind: .malformedPacket)
        /// A UTF-8 encoded string that is not well-formed UTF-8, holds U+0000, or overruns its packet (§1.5.3).
        package static let invalidString = Code(kind: .invalidString)
        /// A well-formed packet the connection's state does not allow (CONNACK twice, PUBACK for an unknown
        /// packet identifier, …).
        package static let unexpectedPacket = Code(kind: .unexpectedPacket)
        /// No PINGRESP came between a PINGREQ and the next keep-alive tick (§3.1.2.10).
        package static let keepAliveTimeout = Code(kind: .keepAliveTimeout)

        /// The code's name.
        package var description: String { kind.rawValue }
    }
}
