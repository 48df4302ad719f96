import DICOMNetwork
import NIOCore
import Testing

/// The acceptor's association states and the actions each event gives (PS3.8 §9.2, Table 9-10).
@Suite struct AcceptorStateMachineTests {
    typealias Machine = AcceptorStateMachine

    static let echoContext = ProposedPresentationContext(
        id: 1, abstractSyntax: AssociationPolicy.verification, transferSyntaxes: ["1.2.840.10008.1.2"])

    static func machine(admitted: Bool = true) -> Machine {
        Machine(policy: AssociationPolicyTests.policy(), remoteAddress: "127.0.0.1", admitted: admitted)
    }

    /// A machine in Sta6, and the association it established.
    static func established() -> (Machine, EstablishedAssociation) {
        var machine = machine()
        let actions = machine.received(.associateRequest(AssociationPolicyTests.request(contexts: [echoContext])))
        guard actions.count == 2, case .startSession(let association) = actions[1] else {
            Issue.record("not established: \(actions)")
            return (
                machine,
                EstablishedAssociation(
                    callingAETitle: "", calledAETitle: "", remoteAddress: "", contexts: [:], peerMaximumPDULength: 0)
            )
        }
        return (machine, association)
    }

    @Test func anAcceptedRequestStartsTheSession() {
        let (machine, association) = Self.established()
        #expect(machine.state == .established)
        #expect(association.callingAETitle == "MODALITY")
        #expect(association.contexts[1]?.transferSyntax == "1.2.840.10008.1.2")
        #expect(machine.refusal == nil)
    }

    @Test func aRejectedRequestIsAnsweredThenClosed() {
        var policy = AssociationPolicyTests.policy()
        policy.checksCalledAETitle = true
        var machine = Machine(policy: policy, remoteAddress: "127.0.0.1", admitted: true)
        let actions = machine.received(
            .associateRequest(AssociationPolicyTests.request(called: "OTHER", contexts: [Self.echoContext])))
        #expect(actions == [.send(.associateReject(.calledAETitleNotRecognized)), .close])
        #expect(machine.state == .closed)
        #expect(machine.refusal != nil)
    }

    @Test func aRequestAboveTheAssociationLimitIsRejectedAsTransient() {
        var machine = Self.machine(admitted: false)
        let actions = machine.received(.associateRequest(AssociationPolicyTests.request(contexts: [Self.echoContext])))
        #expect(actions == [.send(.associateReject(.localLimitExceeded)), .close])
    }

    @Test func anythingButARequestFirstIsAborted() {
        for pdu in [PDU.data([]), .releaseRequest, .releaseResponse] {
            var machine = Self.machine()
            #expect(machine.received(pdu) == [.send(.abort(.unexpectedPDU)), .close])
            #expect(machine.state == .closed)
        }
        var machine = Self.machine()
        #expect(machine.received(.abort(.serviceUser)) == [.close])
    }

    @Test func dataIsDeliveredAndReleaseEndsTheSessionBeforeTheResponse() {
        var (machine, _) = Self.established()
        let value = PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: ByteBuffer(bytes: [1]))
        #expect(machine.received(.data([value])) == [.deliver([value])])
        #expect(machine.received(.releaseRequest) == [.endSession(released: true), .send(.releaseResponse), .close])
        #expect(machine.state == .releasing)
        #expect(machine.received(.data([value])) == [])
    }

    @Test func anAbortFromThePeerEndsTheSessionWithoutAnswer() {
        var (machine, _) = Self.established()
        #expect(machine.received(.abort(.serviceUser)) == [.endSession(released: false), .close])
        #expect(machine.state == .closed)
    }

    @Test func anUnexpectedPDUOnAnEstablishedAssociationIsAborted() {
        var (machine, _) = Self.established()
        let request = AssociationPolicyTests.request(contexts: [Self.echoContext])
        #expect(
            machine.received(.associateRequest(request)) == [
                .send(.abort(.unexpectedPDU)), .endSession(released: false), .close,
            ])
        #expect(machine.state == .closed)
    }

    @Test func violationsAbortWithTheirReason() {
        var waiting = Self.machine()
        let malformed = UpperLayerError(.invalidParameterValue, "a PDU longer than the maximum")
        #expect(waiting.violated(malformed) == [.send(.abort(.invalidParameterValue)), .close])
        var (machine, _) = Self.established()
        #expect(
            machine.violated(malformed) == [
                .send(.abort(.invalidParameterValue)), .endSession(released: false), .close,
            ])
        #expect(machine.refusal == "a PDU longer than the maximum")
        #expect(machine.violated(malformed) == [])
    }

    @Test func aFailingSessionAbortsAsServiceUser() {
        var (machine, _) = Self.established()
        #expect(
            machine.sessionFailed("disk full") == [.send(.abort(.serviceUser)), .endSession(released: false), .close])
    }

    @Test func aClosedTransportAbortsTheSessionOnlyWhenEstablished() {
        var waiting = Self.machine()
        #expect(waiting.transportClosed() == [])
        var (machine, _) = Self.established()
        #expect(machine.transportClosed() == [.endSession(released: false)])
        #expect(machine.state == .closed)
    }
}

/// A session that ends its association instead of answering.
@Suite struct AcceptorSessionTerminationTests {
    @Test func anAbortIsSentAsServiceUserThenTheConnectionClosed() {
        var (machine, _) = AcceptorStateMachineTests.established()
        let actions = machine.sessionTerminated(SessionTermination(.abort, "not allowed"))
        #expect(actions == [.send(.abort(.serviceUser)), .endSession(released: false), .close])
        #expect(AbortReason.serviceUser == AbortReason(source: 0, reason: 0))
        #expect(machine.state == .closed)
        #expect(machine.refusal == "not allowed")
    }

    @Test func aClosedConnectionSendsNothing() {
        var (machine, _) = AcceptorStateMachineTests.established()
        let actions = machine.sessionTerminated(SessionTermination(.closeConnection, "malformed"))
        #expect(actions == [.endSession(released: false), .close])
        #expect(machine.state == .closed)
        // Nothing more is read or done.
        #expect(machine.received(.releaseRequest) == [])
        #expect(machine.sessionTerminated(SessionTermination(.abort, "again")) == [])
    }
}
