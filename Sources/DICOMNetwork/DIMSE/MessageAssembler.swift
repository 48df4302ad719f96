package import NIOCore

/// A complete DIMSE message: its command set and, when the command announces one, the data set that follows.
package struct DIMSEMessage: Sendable {
    package var contextID: UInt8
    package var command: CommandSet
    /// The data set, encoded in the context's transfer syntax.
    package var dataSet: ByteBuffer?

    package init(contextID: UInt8, command: CommandSet, dataSet: ByteBuffer?) {
        self.contextID = contextID
        self.command = command
        self.dataSet = dataSet
    }

    /// The PDV items that carry the message: the command set, then the data set, each in one item that the upper
    /// layer splits to the peer's maximum length.
    package var presentationDataValues: [PresentationDataValue] {
        var values = [
            PresentationDataValue(contextID: contextID, isCommand: true, isLast: true, data: command.encoded())
        ]
        if let dataSet {
            values.append(PresentationDataValue(contextID: contextID, isCommand: false, isLast: true, data: dataSet))
        }
        return values
    }
}

/// Reassembles DIMSE messages from the PDV items of an association (PS3.7 §9.3, PS3.8 Annex E): the fragments of a
/// command set, then those of its data set, on one presentation context.
///
/// A data set is held in memory up to ``maximumDataSetLength``, except a C-STORE-RQ's once a ``streaming``
/// threshold is set: when such a data set grows beyond the threshold before its last fragment, the assembler stops
/// holding it and hands on the bytes held so far, then each fragment as it comes (``Step``), up to the streaming
/// limit, so that an instance of gigabytes never sits in memory.
package struct MessageAssembler: Sendable {
    /// Why the PDV items do not form messages; the association is aborted.
    package struct AssemblyError: Error, Sendable, Equatable {
        package let message: String
    }

    /// When a C-STORE-RQ's data set stops being held in memory, and how large it may grow then.
    package struct Streaming: Sendable, Equatable {
        /// A data set that grows beyond this many bytes before its last fragment is streamed.
        package var threshold: Int
        /// The largest streamed data set accepted.
        package var maximumLength: Int

        /// - Parameters:
        ///   - threshold: the size above which a data set is streamed (16 MiB by default).
        ///   - maximumLength: the largest streamed data set (4 GiB by default).
        package init(threshold: Int = 16 << 20, maximumLength: Int = 4 << 30) {
            self.threshold = threshold
            self.maximumLength = maximumLength
        }
    }

    /// What one PDV item completes.
    package enum Step: Sendable {
        /// A whole message, its data set (if any) in memory.
        case message(DIMSEMessage)
        /// A C-STORE-RQ whose data set is streamed: its command, the bytes held so far (at most the threshold) and
        /// the fragment that went beyond it, kept apart so that the held buffer never grows past the threshold;
        /// more follow.
        case streamStarted(contextID: UInt8, command: CommandSet, held: ByteBuffer, fragment: ByteBuffer)
        /// The next bytes of the streamed data set; `isLast` ends it.
        case streamContinued(ByteBuffer, isLast: Bool)
    }

    /// The largest data set accepted in one message held in memory.
    package var maximumDataSetLength: Int
    /// When C-STORE data sets are streamed, or `nil` to hold every data set in memory.
    package var streaming: Streaming?
    private var commandBytes: ByteBuffer?
    private var contextID: UInt8 = 0
    private var command: CommandSet?
    private var dataBytes: ByteBuffer?
    /// The bytes of the data set streamed so far, while one is.
    private var streamedLength: Int?

    /// - Parameters:
    ///   - maximumDataSetLength: the largest data set held in memory.
    ///   - streaming: when C-STORE data sets are streamed instead, or `nil` for never.
    package init(maximumDataSetLength: Int, streaming: Streaming? = nil) {
        self.maximumDataSetLength = maximumDataSetLength
        self.streaming = streaming
    }

    /// Whether a data set is being streamed: the fragments that follow belong to it.
    package var isStreaming: Bool { streamedLength != nil }

    /// Takes one PDV item of an assembler that never streams; returns the message it completes, if any.
    package mutating func append(_ value: PresentationDataValue) throws(AssemblyError) -> DIMSEMessage? {
        precondition(streaming == nil, "a streaming assembler reports its steps through receive(_:)")
        guard case .message(let message) = try receive(value) else { return nil }
        return message
    }

    /// Takes one PDV item; returns what it completes, if anything.
    package mutating func receive(_ value: PresentationDataValue) throws(AssemblyError) -> Step? {
        if let command {
            guard !value.isCommand, value.contextID == contextID else {
                throw AssemblyError(message: "a data set fragment was expected on context \(contextID)")
            }
            if let streamed = streamedLength, let streaming {
                // `streamed` never exceeds the limit, so the subtraction cannot overflow.
                guard value.data.readableBytes <= streaming.maximumLength - streamed else {
                    throw AssemblyError(message: "a streamed data set above \(streaming.maximumLength) bytes")
                }
                streamedLength = streamed + value.data.readableBytes
                if value.isLast {
                    self.command = nil
                    streamedLength = nil
                }
                return .streamContinued(value.data, isLast: value.isLast)
            }
            var data = dataBytes ?? ByteBufferAllocator().buffer(capacity: value.data.readableBytes)
            if let streaming, !value.isLast, command.commandField == .cStoreRequest,
                value.data.readableBytes > streaming.threshold - min(data.readableBytes, streaming.threshold)
            {
                let total = data.readableBytes + value.data.readableBytes
                guard total <= streaming.maximumLength else {
                    throw AssemblyError(message: "a streamed data set above \(streaming.maximumLength) bytes")
                }
                dataBytes = nil
                streamedLength = total
                return .streamStarted(contextID: contextID, command: command, held: data, fragment: value.data)
            }
            guard value.data.readableBytes <= maximumDataSetLength - data.readableBytes else {
                throw AssemblyError(message: "a data set above \(maximumDataSetLength) bytes")
            }
            if dataBytes == nil && value.isLast {
                data = value.data
            } else {
                data.writeImmutableBuffer(value.data)
            }
            dataBytes = data
            guard value.isLast else { return nil }
            self.command = nil
            dataBytes = nil
            return .message(DIMSEMessage(contextID: contextID, command: command, dataSet: data))
        }
        guard value.isCommand else { throw AssemblyError(message: "a data set fragment before its command") }
        if commandBytes != nil, value.contextID != contextID {
            throw AssemblyError(message: "command fragments on two contexts")
        }
        contextID = value.contextID
        var bytes = commandBytes ?? ByteBufferAllocator().buffer(capacity: value.data.readableBytes)
        guard value.data.readableBytes <= CommandSet.maximumLength - bytes.readableBytes else {
            throw AssemblyError(message: "a command set above \(CommandSet.maximumLength) bytes")
        }
        bytes.writeImmutableBuffer(value.data)
        guard value.isLast else {
            commandBytes = bytes
            return nil
        }
        commandBytes = nil
        let decoded: CommandSet
        do {
            decoded = try CommandSet(decoding: bytes)
        } catch {
            throw AssemblyError(message: error.message)
        }
        guard decoded.hasDataSet else {
            return .message(DIMSEMessage(contextID: contextID, command: decoded, dataSet: nil))
        }
        command = decoded
        return nil
    }
}
