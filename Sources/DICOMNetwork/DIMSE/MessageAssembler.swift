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
package struct MessageAssembler: Sendable {
    /// Why the PDV items do not form messages; the association is aborted.
    package struct AssemblyError: Error, Sendable, Equatable {
        package let message: String
    }

    /// The largest data set accepted in one message.
    package var maximumDataSetLength: Int
    private var commandBytes: ByteBuffer?
    private var contextID: UInt8 = 0
    private var command: CommandSet?
    private var dataBytes: ByteBuffer?

    package init(maximumDataSetLength: Int) {
        self.maximumDataSetLength = maximumDataSetLength
    }

    /// Takes one PDV item; returns the message it completes, if any.
    package mutating func append(_ value: PresentationDataValue) throws(AssemblyError) -> DIMSEMessage? {
        if let command {
            guard !value.isCommand, value.contextID == contextID else {
                throw AssemblyError(message: "a data set fragment was expected on context \(contextID)")
            }
            var data = dataBytes ?? ByteBufferAllocator().buffer(capacity: value.data.readableBytes)
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
            return DIMSEMessage(contextID: contextID, command: command, dataSet: data)
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
        guard decoded.hasDataSet else { return DIMSEMessage(contextID: contextID, command: decoded, dataSet: nil) }
        command = decoded
        return nil
    }
}
