import NIOCore
import Testing

@testable import DICOM

@Suite struct DICOMFileHeaderTests {
    @Test func headerAndNetworkDataSetMakeAFile() throws {
        var dataSet = DataSet()
        dataSet.set(DataElement(tag: .sopClassUID, vr: .UI, strings: ["1.2.840.10008.5.1.4.1.1.2"]))
        dataSet.set(DataElement(tag: .sopInstanceUID, vr: .UI, strings: ["1.2.3.4"]))
        dataSet.set(DataElement(tag: .patientID, vr: .LO, strings: ["P1"]))
        var body = ByteBuffer()
        try DataSetWriter(explicitVR: false, bigEndian: false).write(dataSet, to: &body)
        var file = DICOMFile.part10Header(
            sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.4",
            transferSyntaxUID: "1.2.840.10008.1.2", sourceApplicationEntityTitle: "MODALITY")
        let headerLength = file.readableBytes
        file.writeImmutableBuffer(body)
        #expect(file.getBytes(at: 128, length: 4) == Array("DICM".utf8))
        let read = try DICOMFile(reading: file)
        #expect(read.transferSyntax.uid == "1.2.840.10008.1.2")
        #expect(read.metaInformation[DICOMTag(0x0002, 0x0016)]?.string() == "MODALITY")
        #expect(read.metaInformation[.mediaStorageSOPInstanceUID]?.string() == "1.2.3.4")
        let groupLength = read.metaInformation[.fileMetaInformationGroupLength]?.uint32s?.first
        #expect(groupLength.map(Int.init) == headerLength - 132 - 12)
        #expect(read.dataSet[.patientID]?.string() == "P1")
    }
}
