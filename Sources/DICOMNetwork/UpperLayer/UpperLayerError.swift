/// A violation of the upper layer protocol by the peer: the association is aborted with ``abortReason``.
package struct UpperLayerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the A-ABORT sent to the peer says.
    package let abortReason: AbortReason
    /// A short explanation for the log, free of patient data.
    package let message: String

    package init(_ abortReason: AbortReason, _ message: String) {
        self.abortReason = abortReason
        self.message = message
    }

    package var description: String { "DICOM upper layer: \(message)" }
}
