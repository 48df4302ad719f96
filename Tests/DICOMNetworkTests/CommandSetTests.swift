import DICOMNetwork
import NIOCore
import Testing

/// Command sets in Implicit VR Little Endian (PS3.7 §6.3) and their reassembly from PDV fragments (PS3.8 Annex E).
@Suite struct CommandSetTests {
    @Test func echoRequestIsByteExact() {
        let request = CommandSet.request(
            .cEchoRequest, messageID: 7, sopClass: "1.2.840.10008.1.1", hasDataSet: false)
        let bytes = Array(request.encoded().readableBytesView)
        // (0000,0000) UL 4 = length of the rest.
        #expect(bytes[0..<8] == [0, 0, 0, 0, 4, 0, 0, 0])
        let groupLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        #expect(groupLength == bytes.count - 12)
        // (0000,0002) "1.2.840.10008.1.1" + NUL: 18 bytes.
        #expect(bytes[12..<20] == [0, 0, 2, 0, 18, 0, 0, 0])
        #expect(String(decoding: bytes[20..<37], as: UTF8.self) == "1.2.840.10008.1.1")
        #expect(bytes[37] == 0)
        // (0000,0100) 0x0030, (0000,0110) 7, (0000,0800) 0x0101.
        #expect(bytes[38..<48] == [0, 0, 0x00, 0x01, 2, 0, 0, 0, 0x30, 0x00])
        #expect(bytes[48..<58] == [0, 0, 0x10, 0x01, 2, 0, 0, 0, 7, 0])
        #expect(bytes[58..<68] == [0, 0, 0x00, 0x08, 2, 0, 0, 0, 0x01, 0x01])
        #expect(bytes.count == 68)
    }

    @Test func roundTripsAndEchoesTheRequest() throws {
        var request = CommandSet.request(
            .cStoreRequest, messageID: 300, sopClass: "1.2.840.10008.5.1.4.1.1.2", hasDataSet: true)
        request.setString(CommandSet.affectedSOPInstanceUID, "1.2.3.4.5")
        let decoded = try CommandSet(decoding: request.encoded())
        #expect(decoded == request)
        #expect(decoded.commandField == .cStoreRequest)
        #expect(decoded.hasDataSet)
        #expect(decoded.affectedSOPInstance == "1.2.3.4.5")
        let response = CommandSet.response(to: decoded, field: .cStoreResponse, status: 0xA700)
        #expect(response.respondedMessageID == 300)
        #expect(response.status == 0xA700)
        #expect(!response.hasDataSet)
        #expect(response.affectedSOPClass == "1.2.840.10008.5.1.4.1.1.2")
        #expect(response.affectedSOPInstance == "1.2.3.4.5")
    }

    @Test func refusesMalformedCommands() {
        let cases: [[UInt8]] = [
            [0, 0, 0, 1],  // truncated element header
            [0, 0, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 1],  // length beyond the bytes
            [8, 0, 0x60, 0x00, 2, 0, 0, 0, 0x43, 0x54],  // outside group 0000
            [0, 0, 0x10, 0x01, 2, 0, 0, 0, 1, 0],  // no command field
        ]
        for bytes in cases {
            #expect(throws: CommandSet.DecodingError.self) { try CommandSet(decoding: ByteBuffer(bytes: bytes)) }
        }
        #expect(throws: CommandSet.DecodingError.self) {
            try CommandSet(decoding: ByteBuffer(repeating: 0, count: CommandSet.maximumLength + 1))
        }
    }

    static func fragments(of message: DIMSEMessage, size: Int) -> [PresentationDataValue] {
        message.presentationDataValues.flatMap { value -> [PresentationDataValue] in
            var remaining = value.data
            var pieces: [PresentationDataValue] = []
            repeat {
                let piece = remaining.readSlice(length: min(size, remaining.readableBytes))!
                pieces.append(
                    PresentationDataValue(
                        contextID: value.contextID, isCommand: value.isCommand,
                        isLast: value.isLast && remaining.readableBytes == 0, data: piece))
            } while remaining.readableBytes > 0
            return pieces
        }
    }

    @Test func assemblesFragmentedMessages() throws {
        var request = CommandSet.request(
            .cStoreRequest, messageID: 1, sopClass: "1.2.840.10008.5.1.4.1.1.2", hasDataSet: true)
        request.setString(CommandSet.affectedSOPInstanceUID, "1.2.3")
        let dataSet = ByteBuffer(bytes: (0..<1000).map { UInt8(truncatingIfNeeded: $0) })
        let message = DIMSEMessage(contextID: 3, command: request, dataSet: dataSet)
        var assembler = MessageAssembler(maximumDataSetLength: 4096)
        var completed: [DIMSEMessage] = []
        for value in Self.fragments(of: message, size: 7) {
            if let done = try assembler.append(value) { completed.append(done) }
        }
        #expect(completed.count == 1)
        #expect(completed[0].command == request)
        #expect(completed[0].dataSet == dataSet)
        #expect(completed[0].contextID == 3)
        // A command without data set completes by itself.
        let echo = CommandSet.request(.cEchoRequest, messageID: 2, sopClass: "1.2.840.10008.1.1", hasDataSet: false)
        let done = try assembler.append(
            PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: echo.encoded()))
        #expect(done?.command == echo)
        #expect(done?.dataSet == nil)
    }

    @Test func refusesOutOfOrderOrOversizeFragments() throws {
        var assembler = MessageAssembler(maximumDataSetLength: 100)
        #expect(throws: MessageAssembler.AssemblyError.self) {
            try assembler.append(
                PresentationDataValue(contextID: 1, isCommand: false, isLast: true, data: ByteBuffer()))
        }
        let store = CommandSet.request(.cStoreRequest, messageID: 1, sopClass: "1.2", hasDataSet: true)
        var oversize = MessageAssembler(maximumDataSetLength: 100)
        _ = try oversize.append(
            PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: store.encoded()))
        #expect(throws: MessageAssembler.AssemblyError.self) {
            try oversize.append(
                PresentationDataValue(
                    contextID: 1, isCommand: false, isLast: false, data: ByteBuffer(repeating: 0, count: 101)))
        }
        var otherContext = MessageAssembler(maximumDataSetLength: 100)
        _ = try otherContext.append(
            PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: store.encoded()))
        #expect(throws: MessageAssembler.AssemblyError.self) {
            try otherContext.append(
                PresentationDataValue(contextID: 3, isCommand: false, isLast: true, data: ByteBuffer()))
        }
    }
}
