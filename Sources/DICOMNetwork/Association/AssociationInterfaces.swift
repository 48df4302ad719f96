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
package struct EstablishedAssociation: Sendable {
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

/// What arrives on an established association, in order.
package enum AssociationEvent: Sendable {
    /// The PDV items of one P-DATA-TF PDU.
    case data([PresentationDataValue])
    /// The peer asked to release the association (A-RELEASE-RQ); the DIMSE layer answers with `release()`.
    case releaseRequested
    /// The association ended without release: A-ABORT from the peer, a protocol error, a timeout or a closed
    /// connection. Nothing more arrives.
    case aborted(reason: String)
}

/// How the DIMSE layer talks back on an established association.
package protocol AssociationWriter: Sendable {
    /// Sends PDV items, packed into P-DATA-TF PDUs no larger than the peer accepts; returns when written to the
    /// socket (back-pressure: a slow peer slows the sender).
    func send(_ values: [PresentationDataValue]) async throws
    /// Answers a release request (A-RELEASE-RP) or, as requestor, asks for release and waits for the answer.
    func release() async throws
    /// Aborts the association (A-ABORT, service user) and closes the connection.
    func abort() async
}

/// Serves the associations that the listener accepted: one call per association, returning when it ends.
package protocol AssociationHandler: Sendable {
    /// Runs one association: reads `events` until release or abort, answers through `writer`.
    func run(
        _ association: EstablishedAssociation, events: AsyncStream<AssociationEvent>, writer: any AssociationWriter
    ) async
}
