/// The delivery guarantee of a PUBLISH (MQTT 3.1.1 §4.3): its two QoS bits in the fixed header.
package enum MQTTQualityOfService: UInt8, Sendable, Equatable, CaseIterable {
    /// QoS 0: sent once, never acknowledged.
    case atMostOnce = 0
    /// QoS 1: acknowledged by PUBACK.
    case atLeastOnce = 1
    /// QoS 2: PUBREC, then PUBREL from the sender, then PUBCOMP.
    case exactlyOnce = 2
}
