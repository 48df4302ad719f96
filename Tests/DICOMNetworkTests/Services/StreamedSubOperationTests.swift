import NIOCore
import Synchronization
import Testing

@testable import DICOMNetwork

/// A C-GET sub-operation streamed on the requestor's side: bytes go to the sink in order, a sink that fails is
/// abandoned and the sub-operation answered "out of resources", a cut stream is abandoned.
@Suite struct StreamedSubOperationTests {
    typealias Sink = DIMSESessionStreamingTests.RecordingSink

    private func operation(_ sink: Sink) -> StreamedSubOperation {
        StreamedSubOperation(
            contextID: 3, command: CommandSet.request(.cStoreRequest, messageID: 7, sopClass: "1.2", hasDataSet: true),
            destination: .sink(sink))
    }

    @Test func bytesReachTheSinkAndItsAnswerIsTheStatus() async {
        let sink = Sink()
        var streamed = operation(sink)
        await streamed.append(ByteBuffer(bytes: [1, 2]))
        await streamed.append(ByteBuffer())
        await streamed.append(ByteBuffer(bytes: [3]))
        #expect(await streamed.finish().status == 0x0000)
        sink.state.withLock { state in
            #expect(Array(state.received.readableBytesView) == [1, 2, 3])
            #expect(state.appends == 2 && state.finished == 1 && state.abandoned == 0)
        }
    }

    @Test func aFailingSinkIsAbandonedAndTheRestDropped() async {
        let sink = Sink(failAfter: 1)
        var streamed = operation(sink)
        await streamed.append(ByteBuffer(bytes: [1]))
        await streamed.append(ByteBuffer(bytes: [2]))
        await streamed.append(ByteBuffer(bytes: [3]))
        #expect(await streamed.finish().status == DIMSEStatus.outOfResources)
        sink.state.withLock { state in
            #expect(state.appends == 1 && state.finished == 0 && state.abandoned == 1)
        }
    }

    @Test func aRefusedStreamAnswersItsRefusalAndACutOneIsAbandoned() async {
        var refused = StreamedSubOperation(
            contextID: 1, command: CommandSet.request(.cStoreRequest, messageID: 1, sopClass: "1.2", hasDataSet: true),
            destination: .refused(StoreAnswer(status: 0xA700)))
        await refused.append(ByteBuffer(bytes: [1]))
        #expect(await refused.finish().status == 0xA700)
        let sink = Sink()
        let cut = operation(sink)
        await cut.abandon()
        sink.state.withLock { #expect($0.abandoned == 1 && $0.finished == 0) }
    }
}
