package import NIOCore

/// A publication written into an MQTT channel: the write's promise completes once the broker has acknowledged it
/// as its QoS requires, or fails with ``MQTTPublicationFailure``.
package struct MQTTPublication: Sendable {
    /// The PUBLISH, without packet identifier: the connection chooses one.
    package var publish: MQTTPacket.Publish
    /// When the publication fails with ``MQTTFailureReason/acknowledgementTimeout`` if not acknowledged.
    package var deadline: NIODeadline

    /// A publication of `publish`, given up at `deadline`.
    package init(publish: MQTTPacket.Publish, deadline: NIODeadline) {
        self.publish = publish
        self.deadline = deadline
    }
}
