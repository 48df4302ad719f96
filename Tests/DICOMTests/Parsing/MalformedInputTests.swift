import DICOM
import NIOCore
import Testing

/// Malformed input gives a typed error that names the offset, never a crash, a hang or a huge allocation.
@Suite struct MalformedInputTests {
    private static let explicitLE = "1.2.840.10008.1.2.1"

    private static var wellFormed: ByteBuffer {
        var data = EncodedBytes()
        data.explicit(0x0008, 0x0060, "CS", Array("CT".utf8))
        data.explicit(0x0008, 0x1115, "SQ", [], length: 0xFFFF_FFFF)
        data.item()
        data.explicit(0x0008, 0x1155, "UI", Array("1.2.3.4".utf8) + [0])
        data.itemEnd()
        data.sequenceEnd()
        data.explicit(0x0010, 0x0010, "PN", Array("Doe^John".utf8))
        data.explicit(0x7FE0, 0x0010, "OW", [1, 2, 3, 4])
        return EncodedBytes.part10(transferSyntax: explicitLE, dataSet: data.bytes)
    }

    @Test func everyTruncationThrowsATypedErrorWithAnOffset() throws {
        let full = Self.wellFormed
        // Cutting inside the meta group or the data set; cuts that fall between two top-level elements
        // leave a shorter, valid data set.
        for length in 133..<full.readableBytes {
            let cut = full.getSlice(at: 0, length: length)!
            do {
                let file = try DICOMFile(reading: cut)
                #expect(try file.write() == cut, "a cut at \(length) that parses must round-trip")
            } catch let error as DICOMError {
                #expect(error.offset != nil, "cut at \(length): \(error)")
                #expect(error.offset! <= length)
            }
        }
    }

    @Test func lengthPastTheEnd() {
        var data = EncodedBytes()
        data.explicit(0x0010, 0x0010, "PN", Array("Doe".utf8), length: 0xFFF0)
        let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
        let error = #expect(throws: DICOMError.self) { try DICOMFile(reading: input) }
        #expect(error?.code == .invalidLength)
        #expect(error?.tag == DICOMTag(0x0010, 0x0010))
        #expect(error?.offset == EncodedBytes.dataSetOffset(transferSyntax: Self.explicitLE))
    }

    @Test func hugeLengthDoesNotAllocate() {
        var data = EncodedBytes()
        data.explicit(0x7FE0, 0x0010, "OB", [0, 0], length: 0xFFFF_FFF0)
        let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
        #expect(throws: DICOMError(.invalidLength, "")) { try DICOMFile(reading: input) }
    }

    @Test func sequencesNestedThousandsDeep() {
        var data = EncodedBytes()
        for _ in 0..<5_000 {
            data.explicit(0x0008, 0x1115, "SQ", [], length: 0xFFFF_FFFF)
            data.item()
        }
        let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
        let error = #expect(throws: DICOMError.self) { try DICOMFile(reading: input) }
        #expect(error?.code == .nestingTooDeep)
    }

    @Test func nestingWithinTheLimitIsRead() throws {
        var data = EncodedBytes()
        for _ in 0..<30 {
            data.explicit(0x0008, 0x1115, "SQ", [], length: 0xFFFF_FFFF)
            data.item()
        }
        for _ in 0..<30 {
            data.itemEnd()
            data.sequenceEnd()
        }
        let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
        let file = try DICOMFile(reading: input)
        #expect(try file.write() == input)
    }

    @Test func wrongExplicitVR() {
        var data = EncodedBytes()
        data.explicit(0x0008, 0x0060, "CS", Array("CT".utf8))
        data.explicit(0x0010, 0x0010, "ZZ", Array("Doe^John".utf8))
        let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
        let error = #expect(throws: DICOMError.self) { try DICOMFile(reading: input) }
        #expect(error?.code == .invalidVR)
        #expect(error?.offset == EncodedBytes.dataSetOffset(transferSyntax: Self.explicitLE) + 10 + 4)
    }

    @Test func strayDelimiters() {
        for delimiter: UInt16 in [0xE000, 0xE00D, 0xE0DD] {
            var data = EncodedBytes()
            data.explicit(0x0008, 0x0060, "CS", Array("CT".utf8))
            data.tag(0xFFFE, delimiter)
            data.u32(0)
            let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
            #expect(throws: DICOMError(.invalidTag, "")) { try DICOMFile(reading: input) }
        }
    }

    @Test func unterminatedUndefinedLengthSequence() {
        var data = EncodedBytes()
        data.explicit(0x0008, 0x1115, "SQ", [], length: 0xFFFF_FFFF)
        data.item()
        data.explicit(0x0008, 0x1155, "UI", Array("1.2".utf8) + [0])
        let input = EncodedBytes.part10(transferSyntax: Self.explicitLE, dataSet: data.bytes)
        #expect(throws: DICOMError(.truncated, "")) { try DICOMFile(reading: input) }
    }

    @Test func garbageIsNotDICOM() {
        let inputs: [[UInt8]] = [
            [], [0x44, 0x49, 0x43], Array("Hello, this is not a DICOM file at all.".utf8),
            [UInt8](repeating: 0xFF, count: 300),
        ]
        for bytes in inputs {
            #expect(throws: DICOMError.self) { try DICOMFile(reading: ByteBuffer(bytes: bytes)) }
        }
    }

    @Test func corruptDeflateStream() {
        let input = EncodedBytes.part10(
            transferSyntax: "1.2.840.10008.1.2.1.99", dataSet: [0xFF, 0xFE, 0x00, 0x13, 0x37])
        #expect(throws: DICOMError(.deflate, "")) { try DICOMFile(reading: input) }
    }
}
