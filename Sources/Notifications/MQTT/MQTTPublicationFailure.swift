/// Why a publication failed: one of the ``MQTTFailureReason`` texts.
package struct MQTTPublicationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text of ``DeliveryOutcome/failed(reason:)``.
    package let reason: String

    /// A failure for `reason`.
    package init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    package var description: String { reason }
}
