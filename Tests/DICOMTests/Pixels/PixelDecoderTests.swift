import DICOM
import NIOCore
import Testing

@Suite struct PixelDecoderTests {
    /// Little-endian 16-bit cells.
    func words(_ values: [UInt16], bigEndian: Bool = false) -> ByteBuffer {
        var buffer = ByteBuffer()
        for value in values { buffer.writeInteger(value, endianness: bigEndian ? .big : .little) }
        return buffer
    }

    @Test func signedTwelveBitsAreMaskedAndSignExtended() throws {
        let attributes = PixelAttributes(rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 12, isSigned: true)
        // 0x0FFF is −1 in 12 bits; 0x0800 is −2048; bits above High Bit (0xF000) are ignored.
        let frame = try PixelDecoder.decodeNative(words([0x0FFF, 0xF800, 0x07FF, 0x1005]), attributes: attributes)
        #expect(frame.samples == [-1, -2048, 2047, 5])
        #expect(frame.range?.minimum == -2048)
        #expect(frame.range?.maximum == 2047)
    }

    @Test func highBitBelowTheTopShiftsTheValue() throws {
        let attributes = PixelAttributes(rows: 1, columns: 2, bitsAllocated: 16, bitsStored: 8, highBit: 11)
        let frame = try PixelDecoder.decodeNative(words([0x0AB0, 0xF01F]), attributes: attributes)
        #expect(frame.samples == [0xAB, 0x01])
    }

    @Test func bigEndianCells() throws {
        let attributes = PixelAttributes(rows: 1, columns: 3, bitsAllocated: 16, isSigned: true)
        let frame = try PixelDecoder.decodeNative(
            words([1, 0x8000, 0xFFFE], bigEndian: true), attributes: attributes, bigEndian: true)
        #expect(frame.samples == [1, -32768, -2])
    }

    @Test func monochromeOneKeepsStoredValues() throws {
        let attributes = PixelAttributes(
            rows: 1, columns: 2, bitsAllocated: 8, photometricInterpretation: "MONOCHROME1")
        let frame = try PixelDecoder.decodeNative(ByteBuffer(bytes: [0, 200]), attributes: attributes)
        #expect(frame.samples == [0, 200])
        #expect(frame.attributes.photometricInterpretation == "MONOCHROME1")
    }

    @Test func rgbByPixelAndByPlane() throws {
        let byPixel = PixelAttributes(rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8)
        let pixels = try PixelDecoder.decodeNative(ByteBuffer(bytes: [1, 2, 3, 4, 5, 6]), attributes: byPixel)
        #expect(pixels.samples == [1, 2, 3, 4, 5, 6])
        var byPlane = byPixel
        byPlane.planarConfiguration = 1
        let planes = try PixelDecoder.decodeNative(ByteBuffer(bytes: [1, 4, 2, 5, 3, 6]), attributes: byPlane)
        #expect(planes.samples == [1, 2, 3, 4, 5, 6])
    }

    @Test func thirtyTwoBitCells() throws {
        let attributes = PixelAttributes(rows: 1, columns: 1, bitsAllocated: 32)
        let frame = try PixelDecoder.decodeNative(ByteBuffer(bytes: [0x01, 0x02, 0x03, 0x84]), attributes: attributes)
        #expect(frame.samples == [0x8403_0201])
    }

    @Test func shortDataAndBadAttributesThrow() throws {
        let attributes = PixelAttributes(rows: 2, columns: 2, bitsAllocated: 16)
        #expect(throws: DICOMError(.truncated, "")) {
            try PixelDecoder.decodeNative(words([1, 2, 3]), attributes: attributes)
        }
        let bad = PixelAttributes(rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 17)
        #expect(throws: DICOMError(.invalidValue, "")) {
            try PixelDecoder.decodeNative(words([1, 2, 3, 4]), attributes: bad)
        }
    }

    @Test func attributesFromADataSet() throws {
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0028, 0x0002), uint16s: [1]),
            DataElement(tag: DICOMTag(0x0028, 0x0004), vr: .CS, strings: ["MONOCHROME1"]),
            DataElement(tag: DICOMTag(0x0028, 0x0008), vr: .IS, strings: ["3"]),
            DataElement(tag: DICOMTag(0x0028, 0x0010), uint16s: [4]),
            DataElement(tag: DICOMTag(0x0028, 0x0011), uint16s: [5]),
            DataElement(tag: DICOMTag(0x0028, 0x0100), uint16s: [16]),
            DataElement(tag: DICOMTag(0x0028, 0x0101), uint16s: [12]),
            DataElement(tag: DICOMTag(0x0028, 0x0102), uint16s: [11]),
            DataElement(tag: DICOMTag(0x0028, 0x0103), uint16s: [1]),
        ])
        let attributes = try PixelAttributes(dataSet: dataSet)
        #expect(
            attributes
                == PixelAttributes(
                    rows: 4, columns: 5, bitsAllocated: 16, bitsStored: 12, highBit: 11, isSigned: true,
                    photometricInterpretation: "MONOCHROME1", numberOfFrames: 3))
        #expect(attributes.frameLength == 40)
        #expect(throws: DICOMError(.invalidValue, "")) { try PixelAttributes(dataSet: DataSet([])) }
        var palette = dataSet
        palette.set(DataElement(tag: DICOMTag(0x0028, 0x0004), vr: .CS, strings: ["PALETTE COLOR "]))
        #expect(try PixelAttributes(dataSet: palette).photometricInterpretation == "PALETTE COLOR")
    }

    /// An RLE frame with a 64-byte header and the given segments.
    func rle(_ segments: [[UInt8]]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(segments.count), endianness: .little)
        var offset = 64
        for index in 0..<15 {
            buffer.writeInteger(UInt32(index < segments.count ? offset : 0), endianness: .little)
            if index < segments.count { offset += segments[index].count }
        }
        for segment in segments { buffer.writeBytes(segment) }
        return buffer
    }

    @Test func rleSixteenBitGrayscale() throws {
        let attributes = PixelAttributes(rows: 2, columns: 2, bitsAllocated: 16, isSigned: true)
        // High bytes: a replicate run of 4 × 0xFF (control −3). Low bytes: a literal run of 4 (control 3),
        // then a padding no-op (−128).
        let frame = try PixelDecoder.decodeRLE(
            rle([[0xFD, 0xFF], [0x03, 0xFF, 0xFE, 0x00, 0x80, 0x80]]), attributes: attributes)
        #expect(frame.samples == [-1, -2, -256, -128])
    }

    @Test func rleColorIsReturnedByPixel() throws {
        let attributes = PixelAttributes(
            rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, photometricInterpretation: "RGB")
        let frame = try PixelDecoder.decodeRLE(
            rle([[0xFF, 10], [0x01, 20, 21], [0xFF, 30]]), attributes: attributes)
        #expect(frame.samples == [10, 20, 30, 10, 21, 30])
    }

    @Test func rleErrors() throws {
        let attributes = PixelAttributes(rows: 2, columns: 2, bitsAllocated: 8)
        #expect(throws: DICOMError(.truncated, "")) {
            try PixelDecoder.decodeRLE(ByteBuffer(bytes: [1, 0, 0]), attributes: attributes)
        }
        #expect(throws: DICOMError(.invalidValue, "")) {
            try PixelDecoder.decodeRLE(rle([[0xFD, 1], [0xFD, 1]]), attributes: attributes)
        }
        // Three bytes where four are needed.
        #expect(throws: DICOMError(.truncated, "")) {
            try PixelDecoder.decodeRLE(rle([[0xFE, 1]]), attributes: attributes)
        }
        // A literal run that goes past the segment.
        #expect(throws: DICOMError(.truncated, "")) {
            try PixelDecoder.decodeRLE(rle([[0x05, 1, 2]]), attributes: attributes)
        }
        // 65535 × 65535 announced by a frame of a few bytes: refused before 17 GB are allocated for it.
        let huge = PixelAttributes(rows: 65535, columns: 65535, bitsAllocated: 8)
        #expect(throws: DICOMError(.truncated, "")) {
            try PixelDecoder.decodeRLE(rle([[0x81, 0]]), attributes: huge)
        }
    }

    @Test func mutantsNeverCrash() throws {
        var random = SplitMix64(seed: 0x9E_37)
        let shapes = [
            PixelAttributes(rows: 3, columns: 2, bitsAllocated: 16, bitsStored: 12, isSigned: true),
            PixelAttributes(rows: 2, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, planarConfiguration: 1),
            PixelAttributes(rows: 2, columns: 3, bitsAllocated: 32),
        ]
        var decoded = 0
        var rejected = 0
        for _ in 0..<3_000 {
            var attributes = shapes[Int(random.next() % UInt64(shapes.count))]
            if random.next() % 8 == 0 { attributes.bitsStored = Int(random.next() % 40) }
            if random.next() % 8 == 0 { attributes.rows = Int(random.next() % 5) }
            let seed = rle([[0xFB, 7], [0x02, 1, 2, 3, 0xFC, 9], [0x80, 0xFA, 0]])
            var bytes = [UInt8](seed.readableBytesView)
            for _ in 0..<Int(random.next() % 6) {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 4 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
            for native in [true, false] {
                do {
                    let buffer = ByteBuffer(bytes: bytes)
                    let frame =
                        native
                        ? try PixelDecoder.decodeNative(buffer, attributes: attributes)
                        : try PixelDecoder.decodeRLE(buffer, attributes: attributes)
                    #expect(frame.samples.count == attributes.pixelCount * attributes.samplesPerPixel)
                    decoded += 1
                } catch is DICOMError {
                    rejected += 1
                }
            }
        }
        #expect(decoded > 0)
        #expect(rejected > 0)
    }
}
