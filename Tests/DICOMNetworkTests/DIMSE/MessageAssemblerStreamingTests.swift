import DICOMNetwork
import NIOCore
import Testing

/// The switch of a C-STORE data set from memory to a stream at the threshold.
@Suite struct MessageAssemblerStreamingTests {
    static func storeRequest() -> CommandSet {
        var request = CommandSet.request(
            .cStoreRequest, messageID: 7, sopClass: "1.2.840.10008.5.1.4.1.1.7", hasDataSet: true)
        request.setString(CommandSet.affectedSOPInstanceUID, "1.2.3.4")
        return request
    }

    static func bytes(_ count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
    }

    /// The PDV items of a message whose data set comes in pieces of `size` bytes.
    static func values(command: CommandSet, dataSet: ByteBuffer, size: Int) -> [PresentationDataValue] {
        var values = [PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: command.encoded())]
        var remaining = dataSet
        repeat {
            let piece = remaining.readSlice(length: min(size, remaining.readableBytes))!
            values.append(
                PresentationDataValue(
                    contextID: 1, isCommand: false, isLast: remaining.readableBytes == 0, data: piece))
        } while remaining.readableBytes > 0
        return values
    }

    /// What an assembler yields for the items: messages, and the streamed bytes with the number of steps.
    struct Outcome {
        var messages: [DIMSEMessage] = []
        var streamedCommand: CommandSet?
        var streamed = ByteBuffer()
        var streamSteps = 0
        var ended = false
    }

    static func run(_ assembler: inout MessageAssembler, _ values: [PresentationDataValue]) throws -> Outcome {
        var outcome = Outcome()
        for value in values {
            switch try assembler.receive(value) {
            case nil: break
            case .message(let message): outcome.messages.append(message)
            case .streamStarted(_, let command, let held, let fragment):
                #expect(outcome.streamedCommand == nil)
                #expect(held.readableBytes <= assembler.streaming?.threshold ?? 0)
                outcome.streamedCommand = command
                outcome.streamed.writeImmutableBuffer(held)
                outcome.streamed.writeImmutableBuffer(fragment)
                outcome.streamSteps += 1
            case .streamContinued(let bytes, let isLast):
                #expect(outcome.streamedCommand != nil && !outcome.ended)
                outcome.streamed.writeImmutableBuffer(bytes)
                outcome.streamSteps += 1
                outcome.ended = isLast
            }
        }
        return outcome
    }

    @Test(arguments: [(1000, 7), (1000, 100), (1000, 101), (1000, 1000), (4096, 1), (64, 3)])
    func aDataSetBeyondTheThresholdIsStreamedInOrder(size: Int, piece: Int) throws {
        let dataSet = Self.bytes(size)
        var assembler = MessageAssembler(
            maximumDataSetLength: 1 << 20, streaming: .init(threshold: 100, maximumLength: 1 << 20))
        let outcome = try Self.run(&assembler, Self.values(command: Self.storeRequest(), dataSet: dataSet, size: piece))
        if size <= 100 || piece >= size {
            // Complete before it grew beyond the threshold: the in-memory path.
            #expect(outcome.messages.count == 1)
            #expect(outcome.messages.first?.dataSet == dataSet)
            #expect(outcome.streamSteps == 0)
        } else {
            #expect(outcome.messages.isEmpty)
            #expect(outcome.streamedCommand == Self.storeRequest())
            #expect(outcome.ended)
            #expect(outcome.streamed == dataSet)
            // The held bytes come first, in one step, then one step per fragment.
            let held = (100 / piece + 1)
            #expect(outcome.streamSteps == (size + piece - 1) / piece - held + 1)
        }
        #expect(!assembler.isStreaming)
        // The next message is assembled as usual.
        let echo = CommandSet.request(.cEchoRequest, messageID: 8, sopClass: "1.2.840.10008.1.1", hasDataSet: false)
        let next = try assembler.receive(
            PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: echo.encoded()))
        guard case .message(let message) = next else {
            Issue.record("no message after the stream: \(String(describing: next))")
            return
        }
        #expect(message.command == echo)
    }

    @Test func onlyCStoreRequestsStream() throws {
        let find = CommandSet.request(
            .cFindRequest, messageID: 9, sopClass: "1.2.840.10008.5.1.4.1.2.2.1", hasDataSet: true)
        var assembler = MessageAssembler(
            maximumDataSetLength: 1 << 20, streaming: .init(threshold: 10, maximumLength: 1 << 20))
        let dataSet = Self.bytes(500)
        let outcome = try Self.run(&assembler, Self.values(command: find, dataSet: dataSet, size: 50))
        #expect(outcome.streamSteps == 0)
        #expect(outcome.messages.first?.dataSet == dataSet)
    }

    @Test func aStreamedDataSetIsBoundedByItsLimit() throws {
        var assembler = MessageAssembler(
            maximumDataSetLength: 1 << 20, streaming: .init(threshold: 10, maximumLength: 300))
        let values = Self.values(command: Self.storeRequest(), dataSet: Self.bytes(301), size: 50)
        #expect(throws: MessageAssembler.AssemblyError.self) { _ = try Self.run(&assembler, values) }
        // Exactly at the limit is accepted.
        var exact = MessageAssembler(
            maximumDataSetLength: 1 << 20, streaming: .init(threshold: 10, maximumLength: 300))
        let outcome = try Self.run(
            &exact, Self.values(command: Self.storeRequest(), dataSet: Self.bytes(300), size: 50))
        #expect(outcome.streamed.readableBytes == 300)
    }

    @Test func limitsNearIntMaxDoNotOverflow() throws {
        var assembler = MessageAssembler(
            maximumDataSetLength: Int.max, streaming: .init(threshold: Int.max - 1, maximumLength: Int.max))
        let outcome = try Self.run(
            &assembler, Self.values(command: Self.storeRequest(), dataSet: Self.bytes(100), size: 10))
        #expect(outcome.messages.first?.dataSet?.readableBytes == 100)
        var streaming = MessageAssembler(
            maximumDataSetLength: Int.max, streaming: .init(threshold: 0, maximumLength: Int.max))
        let streamed = try Self.run(
            &streaming, Self.values(command: Self.storeRequest(), dataSet: Self.bytes(100), size: 10))
        #expect(streamed.streamed.readableBytes == 100)
    }

    @Test func aCommandDuringTheStreamIsRefused() throws {
        var assembler = MessageAssembler(
            maximumDataSetLength: 1 << 20, streaming: .init(threshold: 10, maximumLength: 1 << 20))
        let values = Self.values(command: Self.storeRequest(), dataSet: Self.bytes(100), size: 20)
        _ = try Self.run(&assembler, Array(values.prefix(3)))
        #expect(assembler.isStreaming)
        #expect(throws: MessageAssembler.AssemblyError.self) {
            _ = try assembler.receive(values[0])
        }
    }
}
