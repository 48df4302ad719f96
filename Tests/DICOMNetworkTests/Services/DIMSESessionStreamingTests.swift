import DICOM
import DICOMNetwork
import Logging
import NIOCore
import Synchronization
import Testing

/// A session hands a large C-STORE data set to the provider's sink, and abandons it when the association ends.
@Suite struct DIMSESessionStreamingTests {
    /// What a sink saw.
    final class RecordingSink: DataSetSink {
        struct State {
            var received = ByteBuffer()
            var appends = 0
            var finished = 0
            var abandoned = 0
            var failAfter: Int?
        }

        let state: Mutex<State>

        init(failAfter: Int? = nil) {
            state = Mutex(State(failAfter: failAfter))
        }

        func append(_ fragment: ByteBuffer) async throws {
            try state.withLock { state in
                if let limit = state.failAfter, state.appends >= limit { throw CancellationError() }
                state.received.writeImmutableBuffer(fragment)
                state.appends += 1
            }
        }

        func finish() async -> StoreAnswer {
            state.withLock { $0.finished += 1 }
            return StoreAnswer(status: 0x0000)
        }

        func abandon() async {
            state.withLock { $0.abandoned += 1 }
        }
    }

    final class Provider: DIMSEServiceProvider {
        let sink: RecordingSink
        let refusal: StoreAnswer?
        let stored: Mutex<[ByteBuffer]> = Mutex([])

        init(sink: RecordingSink, refusal: StoreAnswer? = nil) {
            self.sink = sink
            self.refusal = refusal
        }

        func verify(_ association: EstablishedAssociation) async -> UInt16 { 0 }

        func store(
            _ dataSet: ByteBuffer, command: CommandSet, context: AcceptedPresentationContext,
            association: EstablishedAssociation
        ) async -> StoreAnswer {
            stored.withLock { $0.append(dataSet) }
            return StoreAnswer(status: 0x0000)
        }

        func beginStore(
            command: CommandSet, context: AcceptedPresentationContext, association: EstablishedAssociation
        ) async -> StoreDestination {
            refusal.map(StoreDestination.refused) ?? .sink(sink)
        }

        func find(_ identifier: DataSet, sopClass: String, association: EstablishedAssociation) async
            -> QueryAnswer
        { .matches([]) }

        func retrieve(
            _ identifier: DataSet, sopClass: String, operation: RetrieveOperation,
            association: EstablishedAssociation
        ) async -> RetrieveAnswer { .instances([]) }

        func moveDestination(_ applicationEntityTitle: String, association: EstablishedAssociation) async
            -> OutboundTarget?
        { nil }
    }

    final class Writer: AssociationWriter {
        let sent: Mutex<[PresentationDataValue]> = Mutex([])

        func send(_ values: [PresentationDataValue]) async throws {
            sent.withLock { $0 += values }
        }

        func abort() async {}

        /// The statuses of the responses sent.
        var statuses: [UInt16?] {
            sent.withLock { values in
                values.filter(\.isCommand).map { try? CommandSet(decoding: $0.data).status }
            }
        }
    }

    static let association = EstablishedAssociation(
        callingAETitle: "MODALITY", calledAETitle: "ATRIUM", remoteAddress: "127.0.0.1",
        contexts: [
            1: AcceptedPresentationContext(
                id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.7", transferSyntax: "1.2.840.10008.1.2.1")
        ],
        peerMaximumPDULength: 16384)

    static func session(sink: RecordingSink, refusal: StoreAnswer? = nil) -> (any AssociationSession, Provider, Writer)
    {
        let provider = Provider(sink: sink, refusal: refusal)
        let writer = Writer()
        let server = DIMSEServer(
            provider: provider, maximumDataSetLength: 1 << 20,
            streaming: MessageAssembler.Streaming(threshold: 100, maximumLength: 1 << 20),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (server.makeSession(for: association, writer: writer), provider, writer)
    }

    static func values(size: Int, piece: Int) -> (ByteBuffer, [PresentationDataValue]) {
        let dataSet = MessageAssemblerStreamingTests.bytes(size)
        return (
            dataSet,
            MessageAssemblerStreamingTests.values(
                command: MessageAssemblerStreamingTests.storeRequest(), dataSet: dataSet, size: piece)
        )
    }

    @Test func aLargeDataSetGoesToTheSinkByteForByte() async throws {
        let sink = RecordingSink()
        let (session, provider, writer) = Self.session(sink: sink)
        let (dataSet, values) = Self.values(size: 5000, piece: 64)
        // One PDU per item, as a peer with a small maximum length sends them.
        for value in values { try await session.received([value]) }
        let state = sink.state.withLock { $0 }
        #expect(state.received == dataSet)
        #expect(state.finished == 1)
        #expect(state.abandoned == 0)
        #expect(provider.stored.withLock { $0.isEmpty })
        #expect(writer.statuses == [0x0000])
        await session.ended(released: true)
        #expect(sink.state.withLock { $0.abandoned } == 0)
    }

    @Test func aSmallDataSetKeepsTheInMemoryPath() async throws {
        let sink = RecordingSink()
        let (session, provider, writer) = Self.session(sink: sink)
        let (dataSet, values) = Self.values(size: 90, piece: 30)
        try await session.received(values)
        #expect(provider.stored.withLock { $0 } == [dataSet])
        #expect(sink.state.withLock { $0.appends } == 0)
        #expect(writer.statuses == [0x0000])
    }

    @Test(arguments: [true, false])
    func anAssociationEndingMidStreamAbandonsTheSink(released: Bool) async throws {
        let sink = RecordingSink()
        let (session, _, writer) = Self.session(sink: sink)
        let (_, values) = Self.values(size: 5000, piece: 64)
        try await session.received(Array(values.prefix(20)))
        #expect(sink.state.withLock { $0.appends } > 0)
        await session.ended(released: released)
        let state = sink.state.withLock { $0 }
        #expect(state.abandoned == 1)
        #expect(state.finished == 0)
        #expect(writer.statuses.isEmpty)
    }

    @Test func aFailingSinkIsAbandonedAndTheStoreAnsweredOutOfResources() async throws {
        let sink = RecordingSink(failAfter: 3)
        let (session, _, writer) = Self.session(sink: sink)
        let (_, values) = Self.values(size: 5000, piece: 64)
        try await session.received(values)
        let state = sink.state.withLock { $0 }
        #expect(state.abandoned == 1)
        #expect(state.finished == 0)
        #expect(writer.statuses == [0xA700])
        await session.ended(released: false)
        #expect(sink.state.withLock { $0.abandoned } == 1)
    }

    @Test func aRefusedStoreIsDiscardedThenAnswered() async throws {
        let sink = RecordingSink()
        let (session, provider, writer) = Self.session(sink: sink, refusal: StoreAnswer(status: 0x0124))
        let (_, values) = Self.values(size: 5000, piece: 64)
        try await session.received(values)
        #expect(writer.statuses == [0x0124])
        #expect(sink.state.withLock { $0.appends } == 0)
        #expect(provider.stored.withLock { $0.isEmpty })
    }
}
