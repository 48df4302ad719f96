package import NIOCore

/// The responses to one C-FIND, C-MOVE or C-GET request, read by the SCU message by message (PS3.7 §9.1.2 to
/// §9.1.4): pending responses, with a match (C-FIND) or sub-operation counts (C-MOVE, C-GET), then the final one.
///
/// A value type with no I/O, so that the rules are tested without a socket; ``DIMSEClient`` feeds it the messages of
/// the association and stops at ``Step/final``.
package struct QueryRetrieveExchange: Sendable {
    /// What a message meant for the exchange.
    package enum Step: Sendable, Equatable {
        /// Not a response to this request (a late answer to an earlier one): ignored.
        case ignored
        /// A pending response: more follow.
        case pending
        /// The final response: the exchange is over.
        case final
    }

    /// The message ID of the request.
    package let messageID: UInt16
    /// The command field the responses carry.
    package let responseField: CommandField
    /// The identifiers of the pending C-FIND responses so far.
    package private(set) var matches: [ByteBuffer] = []
    /// The outcome so far; its status is Pending until the final response.
    package private(set) var outcome = RetrieveOutcome(status: DIMSEStatus.pending)
    /// The most bytes the C-FIND matches may hold together; beyond, the peer is not trusted and the association
    /// is aborted.
    package let maximumMatchBytes: Int
    private var matchBytes = 0

    /// The default of ``maximumMatchBytes``: 256 MiB, far above any real answer set.
    package static let defaultMaximumMatchBytes = 256 * 1024 * 1024

    /// Starts the exchange of `request`, a C-FIND-RQ, C-MOVE-RQ or C-GET-RQ.
    package init(request: CommandSet, maximumMatchBytes: Int = defaultMaximumMatchBytes) {
        self.maximumMatchBytes = maximumMatchBytes
        messageID = request.messageID ?? 0
        responseField = CommandField(rawValue: (request.commandField?.rawValue ?? 0) | 0x8000)
    }

    /// The C-FIND outcome, once the final response is in.
    package var findOutcome: FindOutcome {
        FindOutcome(status: outcome.status, errorComment: outcome.errorComment, matches: matches)
    }

    /// Takes one message received on the association.
    ///
    /// - Throws: ``AssociationFailure/aborted(_:)`` when a message answering this request is not its response or
    ///   has no status: the association cannot be trusted any more.
    package mutating func receive(_ message: DIMSEMessage) throws(AssociationFailure) -> Step {
        let command = message.command
        guard command.respondedMessageID == messageID, command.commandField?.isResponse == true else {
            return .ignored
        }
        guard command.commandField == responseField else {
            throw .aborted("a response of another kind to a query/retrieve request")
        }
        guard let status = command.status else { throw .aborted("a query/retrieve response without a status") }
        readCounts(command)
        if CommandSet.isPending(status) {
            if responseField == .cFindResponse, let identifier = message.dataSet {
                guard identifier.readableBytes <= maximumMatchBytes - matchBytes else {
                    throw .aborted("C-FIND matches above \(maximumMatchBytes) bytes")
                }
                matchBytes += identifier.readableBytes
                matches.append(identifier)
            }
            return .pending
        }
        outcome.status = status
        // The final response carries no remaining count unless it reports a cancel (PS3.7 Table 9.3-4).
        outcome.remaining = command.uint16(CommandSet.remainingSubOperations).map(Int.init) ?? 0
        outcome.errorComment = command.string(CommandSet.errorCommentElement)
        return .final
    }

    /// Records the counts a response carries; a count left out keeps its last value (PS3.7 §9.3.4.2 makes them
    /// optional in the final response).
    private mutating func readCounts(_ command: CommandSet) {
        if let value = command.uint16(CommandSet.remainingSubOperations) { outcome.remaining = Int(value) }
        if let value = command.uint16(CommandSet.completedSubOperations) { outcome.completed = Int(value) }
        if let value = command.uint16(CommandSet.failedSubOperations) { outcome.failed = Int(value) }
        if let value = command.uint16(CommandSet.warningSubOperations) { outcome.warning = Int(value) }
    }
}
