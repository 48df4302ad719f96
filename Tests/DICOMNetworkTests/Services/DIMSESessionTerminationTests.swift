import DICOM
import DICOMNetwork
import Logging
import NIOCore
import Synchronization
import Testing

/// Requests a session does not answer, as Orthanc does not: one the calling AE may not make aborts the association,
/// a C-STORE whose answer says so closes the connection; and the answer to a C-MOVE toward an unknown destination.
@Suite struct DIMSESessionTerminationTests {
    final class Provider: DIMSEServiceProvider {
        let permitted: Set<CommandField>
        let storeAnswer: StoreAnswer
        let calls = Mutex(0)

        init(permitted: Set<CommandField>, storeAnswer: StoreAnswer = StoreAnswer(status: 0x0000)) {
            self.permitted = permitted
            self.storeAnswer = storeAnswer
        }

        func permits(_ request: CommandField, association: EstablishedAssociation) -> Bool {
            permitted.contains(request)
        }

        func verify(_ association: EstablishedAssociation) async -> UInt16 {
            calls.withLock { $0 += 1 }
            return 0
        }

        func store(
            _ dataSet: ByteBuffer, command: CommandSet, context: AcceptedPresentationContext,
            association: EstablishedAssociation
        ) async -> StoreAnswer {
            calls.withLock { $0 += 1 }
            return storeAnswer
        }

        func beginStore(
            command: CommandSet, context: AcceptedPresentationContext, association: EstablishedAssociation
        ) async -> StoreDestination {
            calls.withLock { $0 += 1 }
            return .sink(Sink(answer: storeAnswer))
        }

        func find(_ identifier: DataSet, sopClass: String, association: EstablishedAssociation) async
            -> QueryAnswer
        {
            calls.withLock { $0 += 1 }
            return .matches([])
        }

        func retrieve(
            _ identifier: DataSet, sopClass: String, operation: RetrieveOperation,
            association: EstablishedAssociation
        ) async -> RetrieveAnswer {
            calls.withLock { $0 += 1 }
            return .instances([])
        }

        func moveDestination(_ applicationEntityTitle: String, association: EstablishedAssociation) async
            -> OutboundTarget?
        { nil }
    }

    final class Sink: DataSetSink {
        let answer: StoreAnswer
        init(answer: StoreAnswer) { self.answer = answer }
        func append(_ fragment: ByteBuffer) async throws {}
        func finish() async -> StoreAnswer { answer }
        func abandon() async {}
    }

    static let all: Set<CommandField> = [
        .cEchoRequest, .cStoreRequest, .cFindRequest, .cMoveRequest, .cGetRequest, .nActionRequest,
        .nEventReportRequest,
    ]

    static func session(_ provider: Provider) -> (any AssociationSession, DIMSESessionStreamingTests.Writer) {
        let writer = DIMSESessionStreamingTests.Writer()
        let server = DIMSEServer(
            provider: provider, maximumDataSetLength: 1 << 20,
            streaming: MessageAssembler.Streaming(threshold: 100, maximumLength: 1 << 20),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (server.makeSession(for: DIMSESessionStreamingTests.association, writer: writer), writer)
    }

    /// QueryRetrieveLevel (0008,0052) "STUDY", Explicit VR Little Endian.
    static let identifier = ByteBuffer(bytes: [0x08, 0x00, 0x52, 0x00, 0x43, 0x53, 0x06, 0x00] + Array("STUDY ".utf8))

    static func request(_ field: CommandField) -> [PresentationDataValue] {
        let sopClass = "1.2.840.10008.5.1.4.1.1.7"
        switch field {
        case .cEchoRequest:
            let command = CommandSet.request(.cEchoRequest, messageID: 3, sopClass: sopClass, hasDataSet: false)
            return [PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: command.encoded())]
        case .cStoreRequest:
            return MessageAssemblerStreamingTests.values(
                command: MessageAssemblerStreamingTests.storeRequest(),
                dataSet: MessageAssemblerStreamingTests.bytes(50), size: 50)
        case .cFindRequest:
            return MessageAssemblerStreamingTests.values(
                command: .findRequest(messageID: 3, sopClass: sopClass), dataSet: identifier, size: 64)
        case .cGetRequest:
            return MessageAssemblerStreamingTests.values(
                command: .getRequest(messageID: 3, sopClass: sopClass), dataSet: identifier, size: 64)
        case .nActionRequest:
            let command = CommandSet.nActionRequest(
                messageID: 3, sopClass: StorageCommitment.sopClassUID, sopInstance: "1.2.840.10008.1.20.1.1",
                actionType: 1)
            return MessageAssemblerStreamingTests.values(command: command, dataSet: identifier, size: 64)
        case .nEventReportRequest:
            let command = CommandSet.nEventReportRequest(
                messageID: 3, sopClass: StorageCommitment.sopClassUID, sopInstance: "1.2.840.10008.1.20.1.1",
                eventType: 1)
            return MessageAssemblerStreamingTests.values(command: command, dataSet: identifier, size: 64)
        default:
            return MessageAssemblerStreamingTests.values(
                command: .moveRequest(messageID: 3, sopClass: sopClass, destination: "NOWHERE"), dataSet: identifier,
                size: 64)
        }
    }

    @Test(arguments: [
        CommandField.cEchoRequest, .cStoreRequest, .cFindRequest, .cMoveRequest, .cGetRequest, .nActionRequest,
        .nEventReportRequest,
    ])
    func aRequestNotPermittedAbortsWithoutAnswer(field: CommandField) async throws {
        let provider = Provider(permitted: Self.all.subtracting([field]))
        let (session, writer) = Self.session(provider)
        let error = await #expect(throws: SessionTermination.self) {
            try await session.received(Self.request(field))
        }
        #expect(error?.kind == .abort)
        #expect(writer.statuses.isEmpty)
        #expect(provider.calls.withLock { $0 } == 0)
        await session.ended(released: false)
    }

    @Test func aStreamedStoreNotPermittedAbortsBeforeItsSink() async throws {
        let provider = Provider(permitted: [.cEchoRequest])
        let (session, writer) = Self.session(provider)
        let (_, values) = DIMSESessionStreamingTests.values(size: 5000, piece: 64)
        let error = await #expect(throws: SessionTermination.self) {
            try await session.received(values)
        }
        #expect(error?.kind == .abort)
        #expect(writer.statuses.isEmpty)
        #expect(provider.calls.withLock { $0 } == 0)
        await session.ended(released: false)
    }

    @Test(arguments: [false, true])
    func aStoreAnswerClosingTheConnectionSendsNothing(streamed: Bool) async throws {
        let provider = Provider(permitted: Self.all, storeAnswer: .closingConnection(reason: "malformed"))
        let (session, writer) = Self.session(provider)
        let values =
            streamed ? DIMSESessionStreamingTests.values(size: 5000, piece: 64).1 : Self.request(.cStoreRequest)
        let error = await #expect(throws: SessionTermination.self) {
            try await session.received(values)
        }
        #expect(error?.kind == .closeConnection)
        #expect(writer.statuses.isEmpty)
        await session.ended(released: false)
    }

    @Test func aMoveToAnUnknownDestinationFailsWithZeroCounts() async throws {
        let provider = Provider(permitted: Self.all)
        let (session, writer) = Self.session(provider)
        try await session.received(Self.request(.cMoveRequest))
        await session.ended(released: true)
        let responses = writer.sent.withLock { values in
            values.filter(\.isCommand).compactMap { try? CommandSet(decoding: $0.data) }
        }
        #expect(responses.count == 1)
        let final = try #require(responses.first)
        #expect(final.status == 0xC000)
        #expect(final.uint16(CommandSet.remainingSubOperations) == nil)
        #expect(final.uint16(CommandSet.completedSubOperations) == 0)
        #expect(final.uint16(CommandSet.failedSubOperations) == 0)
        #expect(final.uint16(CommandSet.warningSubOperations) == 0)
    }
}
