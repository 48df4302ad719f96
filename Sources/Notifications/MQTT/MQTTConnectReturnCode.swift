/// The Connect Return code of CONNACK (MQTT 3.1.1 §3.2.2.3), with the text the specification gives it.
package struct MQTTConnectReturnCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The byte of CONNACK's variable header.
    package let rawValue: UInt8

    /// The code of a CONNACK byte, reserved ones included.
    package init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// 0x00: Connection Accepted.
    package static let accepted = Self(rawValue: 0)
    /// 0x01: the broker does not speak the protocol level requested.
    package static let unacceptableProtocolVersion = Self(rawValue: 1)
    /// 0x02: the client identifier is not allowed.
    package static let identifierRejected = Self(rawValue: 2)
    /// 0x03: the broker's MQTT service is unavailable.
    package static let serverUnavailable = Self(rawValue: 3)
    /// 0x04: the user name or password is refused.
    package static let badUserNameOrPassword = Self(rawValue: 4)
    /// 0x05: the client is not authorized to connect.
    package static let notAuthorized = Self(rawValue: 5)

    /// The specification's wording (Table 3.1), e.g. `Connection Refused, bad user name or password`; codes 6 to
    /// 255 are reserved and named by their number.
    package var description: String {
        switch rawValue {
        case 0: "Connection Accepted"
        case 1: "Connection Refused, unacceptable protocol version"
        case 2: "Connection Refused, identifier rejected"
        case 3: "Connection Refused, Server unavailable"
        case 4: "Connection Refused, bad user name or password"
        case 5: "Connection Refused, not authorized"
        default: "Connection Refused, reserved return code \(rawValue)"
        }
    }
}
