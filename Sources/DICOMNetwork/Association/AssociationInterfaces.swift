package import NIOCore

// The boundary between the upper layer (PDUs, association negotiation, the TCP/TLS listener and connector) and
// the DIMSE layer (messages, services). The upper layer turns bytes into these values and back; the DIMSE layer
// never sees a PDU.

/// One presentation data value item of a P-DATA-TF PDU (PS3.8 9.3.5.1 and Annex E.2): a fragment of a DIMSE
/// command or data set on one presentation context.
package struct PresentationDataValue: Sendable, Equatable {
    /// The presentation context the fragment belongs to (odd, 1…255).
    package var contextID: UInt8
    /// Whether the fragment is part of a command set (message control header bit 0) rather than a data set.
    package var isCommand: Bool
    /// Whether it is the last fragment of its command set or data set (message control header bit 1).
    package var isLast: Bool
    /// The fragment's bytes.
    package var data: ByteBuffer

    package init(contextID: UInt8, isCommand: Bool, isLast: Bool, data: ByteBuffer) {
        self.contextID = contextID
        self.isCommand = isCommand
        self.isLast = isLast
        self.data = data
    }
}

/// A presentation context accepted during negotiation: which abstract syntax travels in which transfer syntax.
package struct AcceptedPresentationContext: Sendable, Equatable {
    package var id: UInt8
    package var abstractSyntax: String
    package var transferSyntax: String

    package init(id: UInt8, abstractSyntax: String, transferSyntax: String) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntax = transferSyntax
    }
}

/// What both sides agreed on when the association was established.
package struct EstablishedAssociation: Sendable, Equatable {
    /// The requestor's AE title (trimmed of padding).
    package var callingAETitle: String
    /// The acceptor's AE title as the requestor called it (trimmed of padding).
    package var calledAETitle: String
    /// The peer's IP address, without port.
    package var remoteAddress: String
    /// The accepted contexts, by ID.
    package var contexts: [UInt8: AcceptedPresentationContext]
    /// The largest P-DATA-TF PDU the peer receives (0: unlimited), from its maximum length sub-item.
    package var peerMaximumPDULength: UInt32
    /// SOP classes for which the requestor takes the SCP role (SCP/SCU role selection), as C-GET needs.
    package var requestorSCPRoles: Set<String>

    package init(
        callingAETitle: String, calledAETitle: String, remoteAddress: String,
        contexts: [UInt8: AcceptedPresentationContext], peerMaximumPDULength: UInt32,
        requestorSCPRoles: Set<String> = []
    ) {
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.remoteAddress = remoteAddress
        self.contexts = contexts
        self.peerMaximumPDULength = peerMaximumPDULength
        self.requestorSCPRoles = requestorSCPRoles
    }
}

/// How the DIMSE layer sends on an established association.
package protocol AssociationWriter: Sendable {
    /// Sends PDV items, packed into P-DATA-TF PDUs no larger than the peer accepts; returns once they are handed to
    /// the socket, waiting while the peer reads slowly (back-pressure).
    func send(_ values: [PresentationDataValue]) async throws
    /// Aborts the association (A-ABORT, service user) and closes the connection.
    func abort() async
}

/// The DIMSE side of one established association: it receives the presentation data values in order and
/// answers through its ``AssociationWriter``.
package protocol AssociationSession: Sendable {
    /// The PDV items of one P-DATA-TF. The upper layer reads the next PDU only when this returns, so a session
    /// that is busy (storing an instance) slows the sender down instead of buffering.
    func received(_ values: [PresentationDataValue]) async throws
    /// The association ended: released (`released`, once every operation in progress has answered, before the
    /// A-RELEASE-RP) or aborted (operations in progress are cancelled).
    func ended(released: Bool) async
}

/// How a session ends its association instead of answering a request, thrown from
/// ``AssociationSession/received(_:)``.
package struct SessionTermination: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// An A-ABORT (source 0, service user; reason 0), then the connection is closed.
        case abort
        /// The connection is closed with nothing sent.
        case closeConnection
    }

    package let kind: Kind
    /// A short explanation for the log, free of patient data.
    package let message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { "DICOM session: \(message)" }
}

/// Makes the session of each association the listener accepts.
package protocol AssociationHandler: Sendable {
    func makeSession(for association: EstablishedAssociation, writer: any AssociationWriter) -> any AssociationSession
}
