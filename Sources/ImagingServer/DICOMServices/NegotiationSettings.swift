import Synchronization

/// The negotiation settings that Orthanc lets clients change while the DICOM server runs: the accepted transfer
/// syntaxes (`PUT /tools/accepted-transfer-syntaxes`) and whether unknown SOP classes are accepted
/// (`PUT /tools/unknown-sop-class-accepted`).
///
/// They start from the configuration (`AcceptedTransferSyntaxes`, `UnknownSopClassAccepted`) and, as in Orthanc,
/// are not kept across restarts. The DICOM server reads them at each association request, so a change applies to
/// the next associations.
package final class NegotiationSettings: Sendable {
    private let state: Mutex<(acceptedTransferSyntaxes: AcceptedTransferSyntaxes, unknownSOPClassAccepted: Bool)>

    package init(acceptedTransferSyntaxes: AcceptedTransferSyntaxes, unknownSOPClassAccepted: Bool) {
        state = Mutex((acceptedTransferSyntaxes, unknownSOPClassAccepted))
    }

    /// The transfer syntaxes accepted for storage.
    package var acceptedTransferSyntaxes: AcceptedTransferSyntaxes {
        get { state.withLock { $0.acceptedTransferSyntaxes } }
        set { state.withLock { $0.acceptedTransferSyntaxes = newValue } }
    }

    /// Whether storage-looking SOP classes absent from the registry are accepted.
    package var unknownSOPClassAccepted: Bool {
        get { state.withLock { $0.unknownSOPClassAccepted } }
        set { state.withLock { $0.unknownSOPClassAccepted = newValue } }
    }

    /// Both settings read under one lock, so that an association never sees half of a change.
    package var current: (acceptedTransferSyntaxes: AcceptedTransferSyntaxes, unknownSOPClassAccepted: Bool) {
        state.withLock { $0 }
    }
}
