package import NIOCore

/// How a C-FIND ended, as seen by the SCU: the matches of the pending responses and the final status.
package struct FindOutcome: Sendable {
    /// The final status (PS3.4 §C.4.1.1.4).
    package var status: UInt16
    /// The Error Comment (0000,0902) of the final response, if any.
    package var errorComment: String?
    /// The identifier of each pending response, in the order received, encoded in the context's transfer syntax.
    package var matches: [ByteBuffer]

    package init(status: UInt16, errorComment: String? = nil, matches: [ByteBuffer] = []) {
        self.status = status
        self.errorComment = errorComment
        self.matches = matches
    }
}

/// How a C-MOVE or C-GET ended, as seen by the SCU: the final status and the sub-operation counts
/// (PS3.7 §9.3.3.2, §9.3.4.2), taken from the final response or, when it leaves them out, the last pending one.
package struct RetrieveOutcome: Sendable, Equatable {
    package var status: UInt16
    package var errorComment: String?
    package var remaining: Int = 0
    package var completed: Int = 0
    package var failed: Int = 0
    package var warning: Int = 0

    package init(status: UInt16, errorComment: String? = nil) {
        self.status = status
        self.errorComment = errorComment
    }
}

/// A data set received by a C-STORE sub-operation of a C-GET, on the association of the C-GET.
package struct ReceivedInstance: Sendable {
    package var sopClassUID: String
    package var sopInstanceUID: String
    /// The transfer syntax of the presentation context, in which ``dataSet`` is encoded.
    package var transferSyntaxUID: String
    /// The data set without File Meta Information.
    package var dataSet: ByteBuffer

    /// The instance a C-STORE-RQ sub-operation carries (PS3.7 §9.3.1.1), or nil when it carries no data set,
    /// names no Affected SOP Instance UID (a mandatory field) or arrives on a context that was not accepted: it is
    /// then answered "cannot understand".
    package init?(storeRequest message: DIMSEMessage, contexts: [UInt8: AcceptedPresentationContext]) {
        guard message.command.commandField == .cStoreRequest, let dataSet = message.dataSet,
            let context = contexts[message.contextID],
            let sopInstanceUID = message.command.affectedSOPInstance, !sopInstanceUID.isEmpty
        else { return nil }
        self.sopClassUID = message.command.affectedSOPClass ?? context.abstractSyntax
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = context.transferSyntax
        self.dataSet = dataSet
    }
}
