import DICOM
import DICOMNetwork
import NIOCore
import Testing

/// The DIMSE-N command sets of storage commitment (PS3.7 §10.3) and its action and event information (PS3.4
/// Annex J), without a socket.
@Suite struct StorageCommitmentTests {
    static func element(_ element: UInt16, _ value: [UInt8]) -> [UInt8] {
        let length = UInt32(value.count)
        return [0, 0, UInt8(element & 0xFF), UInt8(element >> 8)]
            + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)]
            + value
    }

    static func groupLength(_ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count)
        return element(
            0x0000,
            [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)])
    }

    @Test func nActionRequestIsByteExact() {
        let command = CommandSet.nActionRequest(
            messageID: 5, sopClass: StorageCommitment.sopClassUID, sopInstance: StorageCommitment.sopInstanceUID,
            actionType: 1)
        let body =
            Self.element(0x0003, Array("1.2.840.10008.1.20.1".utf8)) + Self.element(0x0100, [0x30, 0x01])
            + Self.element(0x0110, [5, 0]) + Self.element(0x0800, [0, 0])
            + Self.element(0x1001, Array("1.2.840.10008.1.20.1.1".utf8)) + Self.element(0x1008, [1, 0])
        #expect(Array(command.encoded().readableBytesView) == Self.groupLength(body) + body)
    }

    @Test func nActionResponseEchoesTheRequest() throws {
        let request = try CommandSet(
            decoding: CommandSet.nActionRequest(
                messageID: 9, sopClass: StorageCommitment.sopClassUID, sopInstance: StorageCommitment.sopInstanceUID,
                actionType: 1
            ).encoded())
        let response = CommandSet.nActionResponse(to: request, status: 0x0000)
        let body =
            Self.element(0x0002, Array("1.2.840.10008.1.20.1".utf8)) + Self.element(0x0100, [0x30, 0x81])
            + Self.element(0x0120, [9, 0]) + Self.element(0x0800, [0x01, 0x01]) + Self.element(0x0900, [0, 0])
            + Self.element(0x1000, Array("1.2.840.10008.1.20.1.1".utf8)) + Self.element(0x1008, [1, 0])
        #expect(Array(response.encoded().readableBytesView) == Self.groupLength(body) + body)
    }

    @Test func nEventReportRequestAndResponseAreByteExact() throws {
        let request = CommandSet.nEventReportRequest(
            messageID: 0x0102, sopClass: StorageCommitment.sopClassUID, sopInstance: StorageCommitment.sopInstanceUID,
            eventType: 2)
        let body =
            Self.element(0x0002, Array("1.2.840.10008.1.20.1".utf8)) + Self.element(0x0100, [0x00, 0x01])
            + Self.element(0x0110, [2, 1]) + Self.element(0x0800, [0, 0])
            + Self.element(0x1000, Array("1.2.840.10008.1.20.1.1".utf8)) + Self.element(0x1002, [2, 0])
        #expect(Array(request.encoded().readableBytesView) == Self.groupLength(body) + body)
        let decoded = try CommandSet(decoding: request.encoded())
        #expect(decoded.eventType == 2)
        let response = CommandSet.nEventReportResponse(to: decoded, status: 0x0110)
        let responseBody =
            Self.element(0x0002, Array("1.2.840.10008.1.20.1".utf8)) + Self.element(0x0100, [0x00, 0x81])
            + Self.element(0x0120, [2, 1]) + Self.element(0x0800, [0x01, 0x01]) + Self.element(0x0900, [0x10, 0x01])
            + Self.element(0x1000, Array("1.2.840.10008.1.20.1.1".utf8)) + Self.element(0x1002, [2, 0])
        #expect(Array(response.encoded().readableBytesView) == Self.groupLength(responseBody) + responseBody)
    }

    static let ct = SOPReference(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.4")
    static let mr = SOPReference(sopClassUID: "1.2.840.10008.5.1.4.1.1.4", sopInstanceUID: "1.2.3.5")

    @Test(arguments: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"])
    func requestsAndResultsRoundTrip(transferSyntax: String) throws {
        let syntax = TransferSyntax(uid: transferSyntax)
        let request = StorageCommitmentRequest(transactionUID: "2.25.1", references: [Self.ct, Self.mr])
        let readRequest = try StorageCommitmentRequest(
            actionInformation: DataSet(decoding: request.actionInformation.encoded(in: syntax), transferSyntax: syntax))
        #expect(readRequest == request)
        let result = StorageCommitmentResult(
            transactionUID: "2.25.1", committed: [Self.ct],
            failures: [.init(reference: Self.mr, reason: StorageCommitment.FailureReason.noSuchObjectInstance)])
        #expect(result.eventType == 2)
        let readResult = try StorageCommitmentResult(
            eventInformation: DataSet(decoding: result.eventInformation.encoded(in: syntax), transferSyntax: syntax),
            eventType: 2)
        #expect(readResult == result)
        let success = StorageCommitmentResult(transactionUID: "2.25.1", committed: [Self.ct], failures: [])
        #expect(success.eventType == 1)
        // Only the sequences with items are sent.
        #expect(success.eventInformation[DICOMTag(0x0008, 0x1198)] == nil)
    }

    @Test func refusesUnreadableInformation() {
        #expect(throws: StorageCommitmentError.self) { try StorageCommitmentRequest(actionInformation: DataSet()) }
        let noFailures = StorageCommitmentResult(transactionUID: "2.25.1", committed: [Self.ct], failures: [])
        #expect(throws: StorageCommitmentError.self) {
            try StorageCommitmentResult(eventInformation: noFailures.eventInformation, eventType: 2)
        }
        #expect(throws: StorageCommitmentError.self) {
            try StorageCommitmentResult(eventInformation: noFailures.eventInformation, eventType: 3)
        }
        let item = DataSet([DataElement(tag: DICOMTag(0x0008, 0x1150), vr: .UI, strings: ["1.2"])])
        let missingInstance = DataSet([
            DataElement(tag: DICOMTag(0x0008, 0x1195), vr: .UI, strings: ["2.25.1"]),
            DataElement(tag: DICOMTag(0x0008, 0x1199), items: [item]),
        ])
        #expect(throws: StorageCommitmentError.self) {
            try StorageCommitmentRequest(actionInformation: missingInstance)
        }
    }

    @Test func failureReasonsAreDescribedAsPS3Words() {
        #expect(
            StorageCommitment.FailureReason.description(0x0112)
                == "One or more of the elements in the Referenced SOP Instance Sequence was not available")
        #expect(StorageCommitment.FailureReason.description(0x0999) == "Unknown failure reason")
    }
}
