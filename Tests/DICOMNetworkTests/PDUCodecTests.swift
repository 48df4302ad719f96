import DICOMNetwork
import NIOCore
import Testing

/// A-ASSOCIATE, P-DATA-TF, release and abort PDUs: byte-exact encoding (PS3.8 §9.3), decoding whole or a byte at
/// a time, and every malformed header refused with the A-ABORT reason it earns.
@Suite struct PDUCodecTests {
    static func sampleRequest() -> AssociateRequest {
        var information = UserInformation()
        information.maximumLength = 16384
        information.implementationClassUID = "1.2.3.4"
        information.implementationVersionName = "TEST_1"
        information.roleSelections = [
            RoleSelection(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", scuRole: false, scpRole: true)
        ]
        return AssociateRequest(
            calledAETitle: "ATRIUM", callingAETitle: "MODALITY",
            presentationContexts: [
                ProposedPresentationContext(
                    id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"]),
                ProposedPresentationContext(
                    id: 3, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2",
                    transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
            ],
            userInformation: information)
    }

    static func encode(_ pdu: PDU) -> ByteBuffer {
        var buffer = ByteBuffer()
        pdu.write(to: &buffer)
        return buffer
    }

    @Test func associateRequestHeaderIsByteExact() throws {
        let bytes = Array(Self.encode(.associateRequest(Self.sampleRequest())).readableBytesView)
        #expect(bytes[0] == 0x01)
        #expect(bytes[1] == 0x00)
        let length = UInt32(bytes[2]) << 24 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 8 | UInt32(bytes[5])
        #expect(Int(length) == bytes.count - 6)
        #expect(bytes[6...7] == [0x00, 0x01])  // protocol version
        #expect(String(decoding: bytes[10..<26], as: UTF8.self) == "ATRIUM          ")
        #expect(String(decoding: bytes[26..<42], as: UTF8.self) == "MODALITY        ")
        #expect(bytes[42..<74].allSatisfy { $0 == 0 })
        // The application context item follows the fixed fields.
        #expect(bytes[74] == 0x10)
        let name = "1.2.840.10008.3.1.1.1"
        #expect(bytes[76...77] == [0x00, UInt8(name.utf8.count)])
        #expect(String(decoding: bytes[78..<(78 + name.utf8.count)], as: UTF8.self) == name)
    }

    @Test func everyPDURoundTrips() throws {
        let decoder = PDUDecoder(maximumDataLength: 16384)
        var accept = UserInformation()
        accept.maximumLength = 32768
        accept.implementationClassUID = "1.2.3"
        let pdus: [PDU] = [
            .associateRequest(Self.sampleRequest()),
            .associateAccept(
                AssociateAccept(
                    calledAETitle: "ATRIUM", callingAETitle: "MODALITY",
                    presentationContexts: [
                        PresentationContextResult(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2"),
                        PresentationContextResult(
                            id: 3, result: .abstractSyntaxNotSupported, transferSyntax: "1.2.840.10008.1.2"),
                    ], userInformation: accept)),
            .associateReject(.calledAETitleNotRecognized),
            .data([
                PresentationDataValue(
                    contextID: 1, isCommand: true, isLast: true, data: ByteBuffer(bytes: [1, 2, 3, 4])),
                PresentationDataValue(contextID: 1, isCommand: false, isLast: false, data: ByteBuffer(bytes: [9])),
            ]),
            .releaseRequest, .releaseResponse, .abort(.unexpectedPDU),
        ]
        for pdu in pdus {
            var buffer = Self.encode(pdu)
            let decoded = try decoder.decode(&buffer)
            #expect(decoded == pdu)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func releaseAndAbortAreTenBytes() {
        #expect(Array(Self.encode(.releaseRequest).readableBytesView) == [5, 0, 0, 0, 0, 4, 0, 0, 0, 0])
        #expect(Array(Self.encode(.releaseResponse).readableBytesView) == [6, 0, 0, 0, 0, 4, 0, 0, 0, 0])
        #expect(Array(Self.encode(.abort(.unexpectedPDU)).readableBytesView) == [7, 0, 0, 0, 0, 4, 0, 0, 2, 2])
        #expect(
            Array(Self.encode(.associateReject(.localLimitExceeded)).readableBytesView) == [
                3, 0, 0, 0, 0, 4, 0, 2, 3, 2,
            ])
    }

    @Test func dataPDUIsByteExact() {
        let pdu = PDU.data([
            PresentationDataValue(contextID: 5, isCommand: true, isLast: true, data: ByteBuffer(bytes: [0xAA, 0xBB]))
        ])
        // Type 4, length 8; item length 4 (context ID, header, two bytes); header 0b11: command, last.
        #expect(Array(Self.encode(pdu).readableBytesView) == [4, 0, 0, 0, 0, 8, 0, 0, 0, 4, 5, 3, 0xAA, 0xBB])
    }

    @Test func decodesAByteAtATime() throws {
        let decoder = PDUDecoder(maximumDataLength: 16384)
        let whole = Self.encode(.associateRequest(Self.sampleRequest()))
        var buffer = ByteBuffer()
        var decoded: PDU?
        for byte in whole.readableBytesView {
            #expect(decoded == nil)
            buffer.writeInteger(byte)
            decoded = try decoder.decode(&buffer)
        }
        #expect(decoded == .associateRequest(Self.sampleRequest()))
    }

    @Test func refusesAnUnknownPDUType() {
        var buffer = ByteBuffer(bytes: [0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0])
        #expect(throws: UpperLayerError.self) { try PDUDecoder(maximumDataLength: 16384).decode(&buffer) }
    }

    @Test func refusesADataPDUAboveTheAnnouncedMaximumBeforeReadingIt() {
        // Only the header arrives: the length alone is enough to refuse.
        var buffer = ByteBuffer(bytes: [0x04, 0, 0x00, 0x01, 0x00, 0x00])
        #expect(throws: UpperLayerError.self) { try PDUDecoder(maximumDataLength: 16384).decode(&buffer) }
    }

    @Test func refusesAHugeControlPDUBeforeReadingIt() {
        var buffer = ByteBuffer(bytes: [0x01, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: UpperLayerError.self) { try PDUDecoder(maximumDataLength: 16384).decode(&buffer) }
    }

    @Test func refusesAPDVItemLongerThanItsPDU() {
        // The item claims 0xFFFFFFFF bytes inside an 8-byte PDU: no arithmetic may overflow.
        var buffer = ByteBuffer(bytes: [4, 0, 0, 0, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 3, 0, 0])
        #expect(throws: UpperLayerError.self) { try PDUDecoder(maximumDataLength: 16384).decode(&buffer) }
    }

    @Test func refusesAPDVItemWithoutHeader() {
        var buffer = ByteBuffer(bytes: [4, 0, 0, 0, 0, 5, 0, 0, 0, 1, 1])
        #expect(throws: UpperLayerError.self) { try PDUDecoder(maximumDataLength: 16384).decode(&buffer) }
    }

    @Test func refusesAnAssociateRequestCutInsideItsItems() {
        var whole = Self.encode(.associateRequest(Self.sampleRequest()))
        // Shorten the PDU length by 3: the last sub-item now runs past the end of the PDU.
        let length = whole.getInteger(at: 2, as: UInt32.self)!
        whole.setInteger(length - 3, at: 2)
        var cut = whole.getSlice(at: 0, length: Int(length - 3) + 6)!
        #expect(throws: UpperLayerError.self) { try PDUDecoder(maximumDataLength: 16384).decode(&cut) }
    }

    @Test func splitsMessagesToThePeersMaximum() {
        let command = PresentationDataValue(
            contextID: 1, isCommand: true, isLast: true, data: ByteBuffer(repeating: 1, count: 100))
        let data = PresentationDataValue(
            contextID: 1, isCommand: false, isLast: true, data: ByteBuffer(repeating: 2, count: 10_000))
        let pdus = PDU.dataPDUs([command, data], maximumLength: 4096)
        var lengths: [Int] = []
        var received = 0
        var lastFlags: [Bool] = []
        for (index, pdu) in pdus.enumerated() {
            guard case .data(let values) = pdu else {
                Issue.record("not a P-DATA-TF")
                return
            }
            var buffer = ByteBuffer()
            pdu.write(to: &buffer)
            lengths.append(buffer.readableBytes - 6)
            if index == 0 {
                // The command goes alone: the data set starts a new PDU.
                #expect(values.count == 1)
                #expect(values[0].isCommand && values[0].isLast)
            } else {
                #expect(values.allSatisfy { !$0.isCommand })
                received += values.reduce(0) { $0 + $1.data.readableBytes }
                lastFlags += values.map(\.isLast)
            }
        }
        #expect(lengths.allSatisfy { $0 <= 4096 })
        #expect(received == 10_000)
        #expect(lastFlags.last == true)
        #expect(lastFlags.dropLast().allSatisfy { !$0 })
    }
}
