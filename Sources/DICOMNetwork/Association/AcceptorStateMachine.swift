/// The association state machine of PS3.8 §9.2 on the acceptor's side, as a value that takes events and returns
/// the actions to carry out; ``DICOMListener`` only performs them.
///
/// The states kept are those an acceptor passes through: Sta2 (transport open, awaiting the A-ASSOCIATE-RQ, ARTIM
/// running), Sta6 (established), Sta8 (A-RELEASE-RQ received, operations in progress finishing before the
/// A-RELEASE-RP) and Sta13 (awaiting the close of the transport, ARTIM running). The ARTIM timer and the idle
/// timeout are the channel's read timeout (``SilenceTimeoutHandler``); its expiry closes the connection in every
/// state, which the machine sees as ``transportClosed()``.
package struct AcceptorStateMachine: Sendable {
    /// Where the association stands.
    package enum State: Sendable, Equatable {
        /// Sta2: awaiting the A-ASSOCIATE-RQ.
        case awaitingAssociateRequest
        /// Sta6: data may flow.
        case established
        /// Sta8: the requestor asked to release; the A-RELEASE-RP follows the end of the session.
        case releasing
        /// Sta13: nothing more is read; the connection is closed.
        case closed
    }

    /// What the listener does, in order.
    package enum Action: Sendable, Equatable {
        /// Write a PDU to the peer.
        case send(PDU)
        /// Start the DIMSE session of the association just accepted.
        case startSession(EstablishedAssociation)
        /// Hand the PDV items of a P-DATA-TF to the session.
        case deliver([PresentationDataValue])
        /// End the session: released (operations in progress answer first) or aborted (they are cancelled).
        case endSession(released: Bool)
        /// Close the transport connection.
        case close
    }

    package private(set) var state = State.awaitingAssociateRequest
    private let policy: AssociationPolicy
    private let remoteAddress: String
    private let admitted: Bool

    /// A machine for one transport connection.
    ///
    /// - Parameters:
    ///   - policy: how the A-ASSOCIATE-RQ is answered.
    ///   - remoteAddress: the peer's IP address, for the policy's host check.
    ///   - admitted: false when the listener is at its association limit: the request is rejected as transient.
    package init(policy: AssociationPolicy, remoteAddress: String, admitted: Bool) {
        self.policy = policy
        self.remoteAddress = remoteAddress
        self.admitted = admitted
    }

    /// The reason a rejection or an A-ABORT was sent, for the log.
    package private(set) var refusal: String?

    /// A PDU arrived.
    package mutating func received(_ pdu: PDU) -> [Action] {
        switch (state, pdu) {
        case (.awaitingAssociateRequest, .associateRequest(let request)):
            // AE-6: accept or reject; AE-8 after a rejection waits for the requestor to close (Sta13).
            guard admitted else {
                state = .closed
                refusal = "too many associations at once"
                return [.send(.associateReject(.localLimitExceeded)), .close]
            }
            switch policy.negotiate(request, remoteAddress: remoteAddress) {
            case .reject(let rejection):
                state = .closed
                refusal =
                    "rejected (result \(rejection.result), source \(rejection.source), reason \(rejection.reason))"
                return [.send(.associateReject(rejection)), .close]
            case .accept(let accept, let association):
                state = .established
                return [.send(.associateAccept(accept)), .startSession(association)]
            }
        case (.awaitingAssociateRequest, .abort):
            // AA-2: the requestor gave up before asking.
            state = .closed
            return [.close]
        case (.awaitingAssociateRequest, _):
            // AA-1: anything but an A-ASSOCIATE-RQ first.
            return abort(.unexpectedPDU, "a PDU other than A-ASSOCIATE-RQ first", sessionStarted: false)
        case (.established, .data(let values)):
            // DT-2.
            return [.deliver(values)]
        case (.established, .releaseRequest):
            // AR-2, then AR-4 once the session has ended.
            state = .releasing
            return [.endSession(released: true), .send(.releaseResponse), .close]
        case (.established, .abort):
            // AA-3.
            state = .closed
            return [.endSession(released: false), .close]
        case (.established, _):
            // AA-8: an A-ASSOCIATE-RQ/AC/RJ or A-RELEASE-RP on an established association.
            return abort(.unexpectedPDU, "an unexpected PDU on an established association", sessionStarted: true)
        case (.releasing, _), (.closed, _):
            // Sta8 and Sta13 read nothing more.
            return []
        }
    }

    /// The decoder refused the bytes (malformed PDU, above the maximum length) or the session found a protocol
    /// violation (a PDV on a context that was not accepted): AA-8, an A-ABORT with the reason.
    package mutating func violated(_ error: UpperLayerError) -> [Action] {
        switch state {
        case .awaitingAssociateRequest:
            return abort(error.abortReason, error.message, sessionStarted: false)
        case .established:
            return abort(error.abortReason, error.message, sessionStarted: true)
        case .releasing, .closed:
            return []
        }
    }

    /// The session failed in a way that is not the peer's fault: an A-ABORT as service user.
    package mutating func sessionFailed(_ reason: String) -> [Action] {
        guard state == .established else { return [] }
        return abort(.serviceUser, reason, sessionStarted: true)
    }

    /// The session ends the association instead of answering a request: an A-ABORT as service user (source 0,
    /// reason 0), or the connection closed with nothing sent; the session is aborted either way.
    package mutating func sessionTerminated(_ termination: SessionTermination) -> [Action] {
        guard state == .established else { return [] }
        switch termination.kind {
        case .abort:
            return abort(.serviceUser, termination.message, sessionStarted: true)
        case .closeConnection:
            state = .closed
            refusal = termination.message
            return [.endSession(released: false), .close]
        }
    }

    /// The transport closed (by the peer, or by the ARTIM or idle timeout): AA-4, the session is aborted.
    package mutating func transportClosed() -> [Action] {
        defer { state = .closed }
        return state == .established ? [.endSession(released: false)] : []
    }

    private mutating func abort(_ reason: AbortReason, _ why: String, sessionStarted: Bool) -> [Action] {
        state = .closed
        refusal = why
        return sessionStarted
            ? [.send(.abort(reason)), .endSession(released: false), .close] : [.send(.abort(reason)), .close]
    }
}
