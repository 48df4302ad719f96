import DICOM
import NIOCore
import Testing

@testable import ImagingServer

@Suite struct FrameRendererTests {
    func dataSet(_ photometric: String = "MONOCHROME2", samples: Int = 1, pixels: [UInt8]) -> DataSet {
        DataSet([
            DataElement(tag: DICOMTag(0x0028, 0x0002), uint16s: [UInt16(samples)]),
            DataElement(tag: DICOMTag(0x0028, 0x0004), vr: .CS, strings: [photometric]),
            DataElement(tag: DICOMTag(0x0028, 0x0010), uint16s: [1]),
            DataElement(tag: DICOMTag(0x0028, 0x0011), uint16s: [UInt16(pixels.count / samples / 2)]),
            DataElement(tag: DICOMTag(0x0028, 0x0100), uint16s: [16]),
            DataElement(tag: DICOMTag(0x0028, 0x0101), uint16s: [16]),
            DataElement(tag: DICOMTag(0x0028, 0x0103), uint16s: [1]),
            DataElement(tag: .pixelData, vr: .OW, value: .bytes(ByteBuffer(bytes: pixels))),
        ])
    }

    /// Values −10, 0, 90, 300 as little-endian 16-bit cells.
    let cells: [UInt8] = [0xF6, 0xFF, 0, 0, 90, 0, 0x2C, 0x01]

    @Test func previewStretchesAndInverts() throws {
        let frame = try FrameRenderer.decode(0, of: dataSet(pixels: cells), transferSyntax: .explicitVRLittleEndian)
        #expect(frame.samples == [-10, 0, 90, 300])
        // (v + 10) × 255 / 310, rounded.
        #expect(try FrameRenderer.preview(frame).1 == [0, 8, 82, 255])
        let inverted = try FrameRenderer.decode(
            0, of: dataSet("MONOCHROME1", pixels: cells), transferSyntax: .explicitVRLittleEndian)
        #expect(try FrameRenderer.preview(inverted).1 == [255, 247, 173, 0])
    }

    @Test func wholeCellsAsOrthanc() throws {
        var dataSet = dataSet(pixels: [0xA1, 0xAF, 0x13, 0x00])
        dataSet.set(DataElement(tag: DICOMTag(0x0028, 0x0101), uint16s: [12]))
        dataSet.set(DataElement(tag: DICOMTag(0x0028, 0x0102), uint16s: [11]))
        let frame = try FrameRenderer.decode(0, of: dataSet, transferSyntax: .explicitVRLittleEndian)
        // 0xAFA1 read as a 16-bit signed cell, not as the 12-bit value −95.
        #expect(frame.samples == [-20575, 19])
    }

    @Test func clampedImages() throws {
        let frame = try FrameRenderer.decode(0, of: dataSet(pixels: cells), transferSyntax: .explicitVRLittleEndian)
        #expect(try FrameRenderer.clamped(frame, to: 0...255, format: .gray8).1 == [0, 0, 90, 255])
        #expect(
            try FrameRenderer.clamped(frame, to: 0...65535, format: .gray16).1 == [0, 0, 0, 0, 0, 90, 0x01, 0x2C])
        #expect(
            try FrameRenderer.clamped(frame, to: -32768...32767, format: .gray16).1
                == [0xFF, 0xF6, 0, 0, 0, 90, 0x01, 0x2C])
    }

    @Test func matlabText() throws {
        let frame = try FrameRenderer.decode(0, of: dataSet(pixels: cells), transferSyntax: .explicitVRLittleEndian)
        #expect(FrameRenderer.matlab(frame) == "double([ -10 0 90 300 ])")
        let twoRows = DecodedFrame(attributes: PixelAttributes(rows: 2, columns: 1, bitsAllocated: 8), samples: [1, 2])
        #expect(FrameRenderer.matlab(twoRows) == "double([ 1 ; 2 ])")
        let color = DecodedFrame(
            attributes: PixelAttributes(rows: 1, columns: 1, samplesPerPixel: 3, bitsAllocated: 8), samples: [1, 2, 3])
        #expect(FrameRenderer.matlab(color) == "double(permute(reshape([ 1 2 3 ], [ 3 1 1 ]), [ 3 2 1 ]))")
    }

    @Test func failures() throws {
        let gray = dataSet(pixels: cells)
        #expect(throws: FrameRenderer.Failure.outOfRange) {
            try FrameRenderer.decode(1, of: gray, transferSyntax: .explicitVRLittleEndian)
        }
        #expect(throws: FrameRenderer.Failure.undecodable("1.2.840.10008.1.2.4.90")) {
            try FrameRenderer.decode(0, of: gray, transferSyntax: TransferSyntax(uid: "1.2.840.10008.1.2.4.90"))
        }
        #expect(
            throws: FrameRenderer.Failure.unsupported(
                "Atrium does not decode the transfer syntax 1.2.840.10008.1.2.4.50")
        ) {
            try FrameRenderer.decode(0, of: gray, transferSyntax: TransferSyntax(uid: "1.2.840.10008.1.2.4.50"))
        }
        #expect(throws: FrameRenderer.Failure.unsupportedFormat) {
            try FrameRenderer.decode(
                0, of: dataSet("YBR_FULL", samples: 3, pixels: cells + cells + cells),
                transferSyntax: .explicitVRLittleEndian)
        }
        let missing = try FrameRenderer.answer(
            .preview, frame: 3, of: gray, transferSyntax: .explicitVRLittleEndian, query: [:])
        #expect(missing.status == 404)
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try FrameRenderer.answer(.numpy, frame: 3, of: gray, transferSyntax: .explicitVRLittleEndian, query: [:])
        }
        let undecodable = try FrameRenderer.answer(
            .imageUInt8, frame: 0, of: gray, transferSyntax: TransferSyntax(uid: "1.2.840.10008.1.2.4.90"), query: [:])
        #expect(undecodable.status == 415)
    }
}
