import DICOM
import DICOMNetwork
import NIOCore
import Testing

@testable import ImagingServer

/// How an unreadable C-STORE data set is damaged, and the C-STORE answer each ingest outcome gives, as Orthanc
/// 1.10.1 answers them (checked side by side in test_compare_orthanc_dicom.py and with pynetdicom).
@Suite struct InstanceReaderDamageTests {
    /// The Part 10 header a C-STORE gets, then `dataSet`.
    static func file(_ dataSet: [UInt8]) -> ByteBuffer {
        var file = DICOMFile.part10Header(
            sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3.4.5",
            transferSyntaxUID: "1.2.840.10008.1.2.1", sourceApplicationEntityTitle: "MODALITY")
        file.writeBytes(dataSet)
        return file
    }

    /// An Explicit VR Little Endian element with a short length.
    static func element(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: String) -> [UInt8] {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
        return [
            UInt8(group & 0xFF), UInt8(group >> 8), UInt8(element & 0xFF), UInt8(element >> 8),
        ] + Array(vr.utf8) + [UInt8(bytes.count & 0xFF), UInt8(bytes.count >> 8)] + bytes
    }

    static let characterSet = element(0x0008, 0x0005, "CS", "ISO_IR 100")
    static let sop = element(0x0008, 0x0018, "UI", "1.2.3.4.5")
    static let modality = element(0x0008, 0x0060, "CS", "CT")
    static let study = element(0x0020, 0x000D, "UI", "1.2.3")
    static let series = element(0x0020, 0x000E, "UI", "1.2.3.4")

    static func rejection(_ dataSet: [UInt8]) -> IngestRejection? {
        do {
            _ = try InstanceReader.read(file(dataSet))
            return nil
        } catch {
            return error
        }
    }

    static func answer(_ dataSet: [UInt8]) -> StoreAnswer {
        let outcome: IngestOutcome =
            rejection(dataSet).map { .rejected($0) }
            ?? .stored(
                ResourceIDs(patientID: "", studyInstanceUID: "1.2.3", seriesInstanceUID: "1.2.3.4", sopInstanceUID: "1")
            )
        return outcome.storeAnswer
    }

    @Test func aCutInsideAHeaderAfterTheSOPInstanceUIDIsOutOfResources() throws {
        let rejection = try #require(Self.rejection(Self.characterSet + Self.sop + Array(Self.modality.prefix(4))))
        #expect(rejection.reason == .unreadableFile)
        #expect(rejection.damage == .cutBetweenElements(prefixHasSOPInstanceUID: true))
        // The REST answer is the parser's, unchanged.
        #expect(rejection.error.code == .badFileFormat)
        let answer = Self.answer(Self.characterSet + Self.sop + Array(Self.modality.prefix(4)))
        #expect(answer.status == 0xA700)
        #expect(!answer.closesConnection)
    }

    @Test func aCutInsideAHeaderBeforeTheSOPInstanceUIDCannotBeUnderstood() throws {
        for dataSet in [Self.characterSet + Array(Self.sop.prefix(6)), Array(Self.characterSet.prefix(4))] {
            let rejection = try #require(Self.rejection(dataSet))
            #expect(rejection.damage == .cutBetweenElements(prefixHasSOPInstanceUID: false))
            #expect(Self.answer(dataSet).status == 0xC000)
            #expect(!Self.answer(dataSet).closesConnection)
        }
    }

    @Test func aLengthRunningPastTheEndClosesTheConnection() throws {
        // The first element's length runs past the end, a later element's, or the data ends inside a value.
        let garbage: [UInt8] =
            [0x08, 0x00, 0x05, 0x00] + Array("CS".utf8) + [0xFF, 0xFF] + [UInt8](repeating: 0, count: 64)
        let later: [UInt8] = Self.characterSet + [0x08, 0x00, 0x08, 0x00] + Array("CS".utf8) + [0xFF, 0xFF] + [0, 0]
        let insideValue = Self.characterSet + Self.sop + Array(Self.modality.prefix(9))
        let badVR: [UInt8] = [0x08, 0x00, 0x05, 0x00] + Array("ZZ".utf8) + [0x02, 0x00, 0x41, 0x42] + Self.sop
        for dataSet in [garbage, later, insideValue, badVR] {
            let rejection = try #require(Self.rejection(dataSet))
            #expect(rejection.reason == .unreadableFile)
            #expect(rejection.damage == .malformed)
            #expect(Self.answer(dataSet).closesConnection)
        }
    }

    @Test func missingIdentifiersAreAnsweredAsOrthancAnswersThem() throws {
        // No SOP Instance UID (or nothing at all): cannot understand.
        for dataSet in [Self.characterSet + Self.study + Self.series, []] {
            #expect(Self.rejection(dataSet)?.reason == .missingSOPInstanceUID)
            #expect(Self.answer(dataSet).status == 0xC000)
        }
        // A SOP Instance UID without the Study or Series Instance UID: out of resources.
        for dataSet in [Self.characterSet + Self.sop + Self.series, Self.characterSet + Self.sop + Self.study] {
            #expect(Self.rejection(dataSet)?.reason == .missingIdentifiers)
            #expect(Self.answer(dataSet).status == 0xA700)
        }
        #expect(Self.rejection(Self.characterSet + Self.sop + Self.study + Self.series) == nil)
    }

    @Test func storageFailuresAndSuccessesKeepTheirAnswers() {
        let ids = ResourceIDs(patientID: "", studyInstanceUID: "1", seriesInstanceUID: "2", sopInstanceUID: "3")
        #expect(IngestOutcome.stored(ids).storeAnswer.status == 0x0000)
        #expect(IngestOutcome.alreadyStored(ids).storeAnswer.status == 0x0000)
        for reason in [IngestRejection.Reason.storageFull, .storageFailure] {
            let answer = IngestOutcome.rejected(IngestRejection(reason, OrthancError(.fullStorage))).storeAnswer
            #expect(answer.status == 0xA700)
            #expect(!answer.closesConnection)
        }
        // An unreadable file without a known damage cannot be understood.
        let unreadable = IngestRejection(.unreadableFile, OrthancError(.badFileFormat))
        #expect(IngestOutcome.rejected(unreadable).storeAnswer.status == 0xC000)
    }
}
