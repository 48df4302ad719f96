import DICOM
import NIOCore
import Testing

@Suite struct DICOMFileWritingTests {
    private static func sample() throws -> DICOMFile {
        var data = EncodedBytes()
        data.explicit(0x0008, 0x0016, "UI", Array("1.2.840.10008.5.1.4.1.1.7".utf8) + [0])
        data.explicit(0x0008, 0x0018, "UI", Array("1.2.3.4.5".utf8) + [0])
        data.explicit(0x0010, 0x0010, "PN", Array("Doe^John".utf8))
        data.explicit(0x0028, 0x0010, "US", [0x00, 0x02])
        data.explicit(0x7FE0, 0x0010, "OW", [1, 2, 3, 4])
        return try DICOMFile(reading: EncodedBytes.part10(transferSyntax: "1.2.840.10008.1.2.1", dataSet: data.bytes))
    }

    @Test(arguments: TransferSyntax.uncompressed)
    func writesAModifiedDataSet(in target: TransferSyntax) throws {
        var file = try Self.sample()
        file.dataSet.set(DataElement(tag: DICOMTag(0x0010, 0x0010), vr: .PN, strings: ["Roe^Jane^Q"]))
        file.dataSet.set(DataElement(tag: DICOMTag(0x0010, 0x0020), vr: .LO, strings: ["PID-7"]))
        file.dataSet.remove(DICOMTag(0x0028, 0x0010))
        let bytes = try file.write(transferSyntax: target)
        let reread = try DICOMFile(reading: bytes)

        #expect(reread.transferSyntax == target)
        #expect(reread.dataSet[DICOMTag(0x0010, 0x0010)]?.string() == "Roe^Jane^Q")
        #expect(reread.dataSet[.patientID]?.string() == "PID-7")
        #expect(reread.dataSet[DICOMTag(0x0028, 0x0010)] == nil)
        #expect(reread.dataSet[.pixelData]?.uint16s == [0x0201, 0x0403])
        // A rebuilt meta group: Atrium's implementation, SOP identifiers copied, a group length that counts
        // exactly the bytes of the other meta elements.
        let meta = reread.metaInformation
        #expect(meta[.transferSyntaxUID]?.string() == target.uid)
        #expect(meta[.implementationClassUID]?.string() == DICOMFile.implementationClassUID)
        #expect(meta[.implementationVersionName]?.string() == DICOMFile.implementationVersionName)
        #expect(meta[.mediaStorageSOPClassUID]?.string() == "1.2.840.10008.5.1.4.1.1.7")
        #expect(meta[.mediaStorageSOPInstanceUID]?.string() == "1.2.3.4.5")
        let groupLength = try #require(meta[.fileMetaInformationGroupLength]?.uint32s?.first)
        let metaEnd = 132 + 12 + Int(groupLength)
        // The last meta element, (0002,0013) SH "ATRIUM_1", ends where the group length says; the data set
        // (deflated or not) starts there.
        #expect(bytes.getInteger(at: metaEnd - 16, endianness: .little, as: UInt32.self) == 0x0013_0002)
        if !target.isDeflated {
            let endianness: Endianness = target.isLittleEndian ? .little : .big
            #expect(bytes.getInteger(at: metaEnd, endianness: endianness, as: UInt16.self) == 0x0008)
        }
    }

    @Test func refusesToTranscodeEncapsulatedPixelData() throws {
        var data = EncodedBytes()
        data.explicit(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
        data.item(length: 0)
        data.sequenceEnd()
        let file = try DICOMFile(
            reading: EncodedBytes.part10(transferSyntax: "1.2.840.10008.1.2.4.50", dataSet: data.bytes))
        #expect(throws: DICOMError(.unsupportedTransferSyntax, "")) {
            try file.write(transferSyntax: .explicitVRLittleEndian)
        }
        // Keeping its own syntax rebuilds the meta group but needs no codec.
        #expect(throws: Never.self) { try file.write(transferSyntax: file.transferSyntax) }
    }

    @Test func createsAFileFromADataSet() throws {
        var dataSet = DataSet()
        dataSet.set(DataElement(tag: .sopClassUID, vr: .UI, strings: ["1.2.840.10008.5.1.4.1.1.7"]))
        dataSet.set(DataElement(tag: .sopInstanceUID, vr: .UI, strings: [UIDGenerator.makeUID()]))
        dataSet.set(DataElement(tag: DICOMTag(0x0028, 0x0010), uint16s: [16]))
        let file = DICOMFile(dataSet: dataSet, transferSyntax: .implicitVRLittleEndian)
        let reread = try DICOMFile(reading: try file.write())
        #expect(reread.transferSyntax == .implicitVRLittleEndian)
        #expect(reread.dataSet[DICOMTag(0x0028, 0x0010)]?.uint16s == [16])
        #expect(reread.preamble?.readableBytesView.allSatisfy { $0 == 0 } == true)
    }
}
