import DICOM
import NIOCore
import Testing

@Suite struct DataSetParserTests {
    private let explicitLE = "1.2.840.10008.1.2.1"
    private let implicitLE = "1.2.840.10008.1.2"
    private let explicitBE = "1.2.840.10008.1.2.2"

    @Test func readsExplicitLittleEndianValues() throws {
        var data = EncodedBytes()
        data.explicit(0x0010, 0x0010, "PN", Array("Doe^John".utf8))
        data.explicit(0x0028, 0x0010, "US", [0x00, 0x02])
        data.explicit(0x0028, 0x0030, "DS", Array("0.5\\0.25 ".utf8))
        let file = try DICOMFile(reading: EncodedBytes.part10(transferSyntax: explicitLE, dataSet: data.bytes))
        #expect(file.transferSyntax == .explicitVRLittleEndian)
        #expect(file.dataSet[DICOMTag(0x0010, 0x0010)]?.string() == "Doe^John")
        #expect(file.dataSet[DICOMTag(0x0028, 0x0010)]?.uint16s == [512])
        #expect(file.dataSet[DICOMTag(0x0028, 0x0030)]?.strings() == ["0.5", "0.25"])
        #expect(file.dataSet[DICOMTag(0x0028, 0x0030)]?.numbers == [0.5, 0.25])
    }

    @Test func readsBigEndianNumbers() throws {
        var data = EncodedBytes(bigEndian: true)
        data.explicit(0x0028, 0x0010, "US", [0x02, 0x00])
        data.explicit(0x0028, 0x1052, "FD", [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
        let file = try DICOMFile(reading: EncodedBytes.part10(transferSyntax: explicitBE, dataSet: data.bytes))
        #expect(file.dataSet[DICOMTag(0x0028, 0x0010)]?.uint16s == [512])
        #expect(file.dataSet[DICOMTag(0x0028, 0x1052)]?.vr == .FD)
        #expect(file.dataSet[DICOMTag(0x0028, 0x1052)]?.float64s == [1.0])
    }

    @Test func readsImplicitVRWithTheDictionary() throws {
        var data = EncodedBytes()
        data.implicit(0x0010, 0x0010, Array("Doe^Jane".utf8))
        data.implicit(0x0028, 0x0010, [0x00, 0x01])
        let file = try DICOMFile(reading: EncodedBytes.part10(transferSyntax: implicitLE, dataSet: data.bytes))
        #expect(file.dataSet[DICOMTag(0x0010, 0x0010)]?.vr == .PN)
        #expect(file.dataSet[DICOMTag(0x0028, 0x0010)]?.vr == .US)
        #expect(file.dataSet[DICOMTag(0x0028, 0x0010)]?.uint16s == [256])
    }

    @Test func readsNestedSequencesOfBothLengthForms() throws {
        var data = EncodedBytes()
        // (0008,1115) SQ undefined length, one undefined-length item holding a defined-length sequence.
        data.explicit(0x0008, 0x1115, "SQ", [], length: 0xFFFF_FFFF)
        data.item()
        var inner = EncodedBytes()
        inner.item(length: 16)
        inner.explicit(0x0008, 0x1155, "UI", Array("1.2.3.4".utf8) + [0])
        data.explicit(0x0008, 0x114A, "SQ", inner.bytes)
        data.itemEnd()
        data.sequenceEnd()
        data.explicit(0x0010, 0x0020, "LO", Array("ID1 ".utf8))
        let input = EncodedBytes.part10(transferSyntax: explicitLE, dataSet: data.bytes)
        let file = try DICOMFile(reading: input)
        let outer = try #require(file.dataSet[DICOMTag(0x0008, 0x1115)])
        #expect(outer.hasUndefinedLength)
        #expect(outer.items.count == 1)
        let nested = try #require(outer.items.first?[DICOMTag(0x0008, 0x114A)])
        #expect(!nested.hasUndefinedLength)
        #expect(nested.items.first?[DICOMTag(0x0008, 0x1155)]?.string() == "1.2.3.4")
        #expect(file.dataSet[.patientID]?.string() == "ID1")
        #expect(try file.write() == input)
    }

    @Test func keepsEncapsulatedFragments() throws {
        var data = EncodedBytes()
        data.explicit(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
        data.item(length: 0)
        data.item(length: 4)
        data.bytes += [1, 2, 3, 4]
        data.item(length: 2)
        data.bytes += [5, 6]
        data.sequenceEnd()
        let input = EncodedBytes.part10(transferSyntax: "1.2.840.10008.1.2.4.50", dataSet: data.bytes)
        let file = try DICOMFile(reading: input)
        let fragments = try #require(file.dataSet[.pixelData]?.fragments)
        #expect(fragments.map(\.readableBytes) == [0, 4, 2])
        #expect(try file.write() == input)
    }

    @Test func stopsBeforePixelData() throws {
        var data = EncodedBytes()
        data.explicit(0x0010, 0x0020, "LO", Array("ID".utf8))
        data.explicit(0x7FE0, 0x0010, "OW", [0, 0, 0, 0], length: 1_000_000)  // truncated: never read
        let input = EncodedBytes.part10(transferSyntax: explicitLE, dataSet: data.bytes)
        let file = try DICOMFile(reading: input, options: ParseOptions(stopBeforePixelData: true))
        #expect(file.dataSet.count == 1)
        #expect(throws: DICOMError(.invalidLength, "")) { try DICOMFile(reading: input) }
    }

    @Test func readsRawDataSetsWithoutPreamble() throws {
        var explicit = EncodedBytes()
        explicit.explicit(0x0008, 0x0060, "CS", Array("CT".utf8))
        #expect(try DICOMFile(reading: explicit.buffer).transferSyntax == .explicitVRLittleEndian)
        var implicit = EncodedBytes()
        implicit.implicit(0x0008, 0x0060, Array("MR".utf8))
        let file = try DICOMFile(reading: implicit.buffer)
        #expect(file.transferSyntax == .implicitVRLittleEndian)
        #expect(file.dataSet[DICOMTag(0x0008, 0x0060)]?.string() == "MR")
        #expect(file.preamble == nil && !file.hasPart10Prefix)
        #expect(try file.write() == implicit.buffer)
    }

    @Test func keepsOddLengthValuesAsTheyAre() throws {
        var data = EncodedBytes()
        data.explicit(0x0010, 0x0020, "LO", Array("ABC".utf8))
        let input = EncodedBytes.part10(transferSyntax: explicitLE, dataSet: data.bytes)
        let file = try DICOMFile(reading: input)
        #expect(file.dataSet[.patientID]?.string() == "ABC")
        #expect(try file.write() == input)
    }

    @Test func readsAnUndefinedLengthUNInBigEndianAsImplicitLittleEndianItems() throws {
        // PS3.5 §6.2.2: an undefined-length UN holds a sequence in Implicit VR Little Endian, whatever the file's
        // byte order.
        var data = EncodedBytes(bigEndian: true)
        data.explicit(0x0008, 0x1115, "UN", [], length: 0xFFFF_FFFF)
        var items = EncodedBytes()
        items.item()
        items.implicit(0x0028, 0x0010, [0x00, 0x02])
        items.itemEnd()
        items.sequenceEnd()
        data.bytes += items.bytes
        data.explicit(0x0028, 0x0011, "US", [0x01, 0x00])
        let file = try DICOMFile(reading: EncodedBytes.part10(transferSyntax: explicitBE, dataSet: data.bytes))
        let sequence = try #require(file.dataSet[DICOMTag(0x0008, 0x1115)])
        #expect(sequence.items.first?[DICOMTag(0x0028, 0x0010)]?.uint16s == [512])
        #expect(file.dataSet[DICOMTag(0x0028, 0x0011)]?.uint16s == [256])
    }

    @Test func looksUpElementsOfAnUnsortedDataSetByScanning() throws {
        var data = EncodedBytes()
        data.explicit(0x0010, 0x0020, "LO", Array("ID1 ".utf8))
        data.explicit(0x0010, 0x0010, "PN", Array("Doe^John".utf8))
        data.explicit(0x0010, 0x0030, "DA", Array("20200101".utf8))
        let file = try DICOMFile(reading: EncodedBytes.part10(transferSyntax: explicitLE, dataSet: data.bytes))
        #expect(file.dataSet.elements.map(\.tag) == [.patientID, DICOMTag(0x0010, 0x0010), DICOMTag(0x0010, 0x0030)])
        #expect(file.dataSet[DICOMTag(0x0010, 0x0010)]?.string() == "Doe^John")
        #expect(file.dataSet[.patientID]?.string() == "ID1")
        #expect(file.dataSet[DICOMTag(0x0010, 0x0030)]?.string() == "20200101")
    }
}
