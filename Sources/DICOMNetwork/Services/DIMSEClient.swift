import DICOM
import NIOCore

/// The requestor's side of an established association (SCU): one DIMSE operation at a time, each request answered
/// before the next is sent. Used only inside ``DICOMConnector/withAssociation(to:callingAETitle:contexts:roleSelections:maximumPDULength:timeout:maximumDataSetLength:_:)``.
package final class DIMSEClient {
    /// The contexts the acceptor accepted, by ID.
    package let contexts: [UInt8: AcceptedPresentationContext]
    private let peerMaximumPDULength: UInt32
    private var inbound: NIOAsyncChannelInboundStream<PDU>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<PDU>
    private var assembler: MessageAssembler
    private var nextMessageID: UInt16 = 1
    /// Steps completed by a P-DATA-TF that carried more than one.
    private var completed: [MessageAssembler.Step] = []

    init(
        contexts: [UInt8: AcceptedPresentationContext], peerMaximumPDULength: UInt32,
        inbound: NIOAsyncChannelInboundStream<PDU>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<PDU>,
        maximumDataSetLength: Int, streaming: MessageAssembler.Streaming? = nil
    ) {
        self.assembler = MessageAssembler(maximumDataSetLength: maximumDataSetLength, streaming: streaming)
        self.contexts = contexts
        self.peerMaximumPDULength = peerMaximumPDULength
        self.inbound = inbound
        self.outbound = outbound
    }

    /// The accepted contexts of an abstract syntax.
    package func contexts(for abstractSyntax: String) -> [AcceptedPresentationContext] {
        contexts.values.filter { $0.abstractSyntax == abstractSyntax }.sorted { $0.id < $1.id }
    }

    /// C-ECHO; returns the status.
    package func echo() async throws -> UInt16 {
        guard let context = contexts(for: AssociationPolicy.verification).first else {
            throw AssociationFailure.noPresentationContext(AssociationPolicy.verification)
        }
        let request = CommandSet.request(
            .cEchoRequest, messageID: takeMessageID(), sopClass: AssociationPolicy.verification, hasDataSet: false)
        try await send(DIMSEMessage(contextID: context.id, command: request, dataSet: nil))
        return try await response(to: request).command.status ?? DIMSEStatus.unableToProcess
    }

    /// C-STORE of a stored instance; returns the status.
    package func store(_ instance: RetrievableInstance, moveOriginator: (title: String, messageID: UInt16)? = nil)
        async throws -> UInt16
    {
        guard
            let prepared = try await StoreSubOperation.prepare(
                instance, contexts: contexts(for: instance.sopClassUID))
        else { throw AssociationFailure.noPresentationContext(instance.sopClassUID) }
        var request = CommandSet.request(
            .cStoreRequest, messageID: takeMessageID(), sopClass: instance.sopClassUID, hasDataSet: true)
        request.setString(CommandSet.affectedSOPInstanceUID, instance.sopInstanceUID)
        if let moveOriginator {
            request.setString(CommandSet.moveOriginatorAETitle, moveOriginator.title, padding: 0x20)
            request.setUInt16(CommandSet.moveOriginatorMessageID, moveOriginator.messageID)
        }
        try await send(DIMSEMessage(contextID: prepared.contextID, command: request, dataSet: prepared.bytes))
        return try await response(to: request).command.status ?? DIMSEStatus.unableToProcess
    }

    /// Sends A-RELEASE-RQ and waits for the A-RELEASE-RP.
    func release() async throws {
        try await outbound.write(.releaseRequest)
        while let pdu = try await inbound.next(isolation: #isolation) {
            switch pdu {
            case .releaseResponse: return
            case .abort: throw AssociationFailure.aborted("the peer aborted the release")
            case .data: continue
            default: throw AssociationFailure.aborted("an unexpected PDU in answer to the release")
            }
        }
    }

    func takeMessageID() -> UInt16 {
        defer { nextMessageID = nextMessageID == UInt16.max ? 1 : nextMessageID + 1 }
        return nextMessageID
    }

    /// The first accepted context of `sopClass`.
    ///
    /// - Throws: ``AssociationFailure/noPresentationContext(_:)`` when the acceptor accepted none.
    func context(for sopClass: String) throws -> AcceptedPresentationContext {
        guard let context = contexts(for: sopClass).first else {
            throw AssociationFailure.noPresentationContext(sopClass)
        }
        return context
    }

    /// Sends a request with its data set, encoded in the transfer syntax of `context`.
    func send(_ request: CommandSet, _ dataSet: DataSet, on context: AcceptedPresentationContext) async throws {
        let bytes = try dataSet.encoded(in: TransferSyntax(uid: context.transferSyntax))
        try await send(DIMSEMessage(contextID: context.id, command: request, dataSet: bytes))
    }

    func send(_ message: DIMSEMessage) async throws {
        try await outbound.write(
            contentsOf: PDU.dataPDUs(message.presentationDataValues, maximumLength: peerMaximumPDULength))
    }

    /// The next message answering `request`; other messages (a late response to an earlier request) are dropped.
    func response(to request: CommandSet) async throws -> DIMSEMessage {
        while true {
            let message = try await nextMessage()
            if message.command.respondedMessageID == request.messageID { return message }
        }
    }

    /// The next complete message the peer sent, on a context that was accepted.
    func nextMessage() async throws -> DIMSEMessage {
        guard case .message(let message) = try await nextStep() else {
            // Only a C-STORE sub-operation of a C-GET is streamed, and ``get(_:sopClass:beginStore:store:)`` reads
            // those itself.
            throw AssociationFailure.aborted("a streamed data set where none was expected")
        }
        return message
    }

    /// The next step of the peer's messages: a whole message, or a piece of a data set being streamed.
    func nextStep() async throws -> MessageAssembler.Step {
        while completed.isEmpty {
            guard let pdu = try await inbound.next(isolation: #isolation) else {
                throw AssociationFailure.aborted("the peer closed the connection")
            }
            switch pdu {
            case .data(let values):
                for value in values {
                    guard contexts[value.contextID] != nil else {
                        throw AssociationFailure.aborted("a PDV on a presentation context that was not accepted")
                    }
                    do {
                        if let step = try assembler.receive(value) { completed.append(step) }
                    } catch {
                        throw AssociationFailure.aborted(error.message)
                    }
                }
            case .abort:
                throw AssociationFailure.aborted("the peer aborted the association")
            default:
                throw AssociationFailure.aborted("an unexpected PDU during an operation")
            }
        }
        return completed.removeFirst()
    }
}
