import DICOM
import NIOCore
import Testing

@testable import ImagingServer

@Suite struct RawFrameTests {
    func image(frames: Int, pixels: DataElement.Value) -> DataSet {
        DataSet([
            DataElement(tag: DICOMTag(0x0028, 0x0002), uint16s: [1]),
            DataElement(tag: DICOMTag(0x0028, 0x0008), vr: .IS, strings: [String(frames)]),
            DataElement(tag: DICOMTag(0x0028, 0x0010), uint16s: [2]),
            DataElement(tag: DICOMTag(0x0028, 0x0011), uint16s: [3]),
            DataElement(tag: DICOMTag(0x0028, 0x0100), uint16s: [8]),
            DataElement(tag: .pixelData, vr: .OB, value: pixels),
        ])
    }

    func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    @Test func bigEndianWordsAreAnsweredLittleEndian() throws {
        var dataSet = image(frames: 1, pixels: .bytes(bytes([0x01, 0x02, 0x03, 0x04, 0x05, 0x06])))
        dataSet.set(DataElement(tag: .pixelData, vr: .OW, value: .bytes(bytes([1, 2, 3, 4, 5, 6]))))
        let frame = try RawFrame(index: 0, of: dataSet, transferSyntax: .explicitVRBigEndian)
        #expect(Array(frame.bytes.readableBytesView) == [2, 1, 4, 3, 6, 5])
        let little = try RawFrame(index: 0, of: dataSet, transferSyntax: .explicitVRLittleEndian)
        #expect(Array(little.bytes.readableBytesView) == [1, 2, 3, 4, 5, 6])
    }

    @Test func slicesNativePixelData() throws {
        let dataSet = image(frames: 2, pixels: .bytes(bytes(Array(0..<12))))
        let second = try RawFrame(index: 1, of: dataSet, transferSyntax: .explicitVRLittleEndian)
        #expect(Array(second.bytes.readableBytesView) == [6, 7, 8, 9, 10, 11])
        #expect(second.contentType == "application/octet-stream")
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try RawFrame(index: 2, of: dataSet, transferSyntax: .explicitVRLittleEndian)
        }
        var empty = dataSet
        _ = empty.remove(.pixelData)
        #expect(throws: OrthancError(.noPixelData)) {
            try RawFrame(index: 0, of: empty, transferSyntax: .explicitVRLittleEndian)
        }
        let short = image(frames: 3, pixels: .bytes(bytes(Array(0..<12))))
        #expect(throws: OrthancError(.badFileFormat)) {
            try RawFrame(index: 2, of: short, transferSyntax: .explicitVRLittleEndian)
        }
    }

    @Test func followsTheBasicOffsetTable() throws {
        // Frame 0 spans fragments [1, 2] and [3]; frame 1 is fragment [4, 5, 6]. Offsets count item headers.
        var table = ByteBuffer()
        table.writeInteger(UInt32(0), endianness: .little)
        table.writeInteger(UInt32(8 + 2 + 8 + 1), endianness: .little)
        let dataSet = image(
            frames: 2, pixels: .fragments([table, bytes([1, 2]), bytes([3]), bytes([4, 5, 6])]))
        let jpeg = TransferSyntax(uid: "1.2.840.10008.1.2.4.50")
        let first = try RawFrame(index: 0, of: dataSet, transferSyntax: jpeg)
        #expect(Array(first.bytes.readableBytesView) == [1, 2, 3])
        #expect(first.contentType == "image/jpeg")
        let second = try RawFrame(index: 1, of: dataSet, transferSyntax: TransferSyntax(uid: "1.2.840.10008.1.2.4.90"))
        #expect(Array(second.bytes.readableBytesView) == [4, 5, 6])
        #expect(second.contentType == "image/jp2")
    }

    @Test func matchesFragmentsToFramesWithoutAnOffsetTable() throws {
        let rle = TransferSyntax(uid: "1.2.840.10008.1.2.5")
        let perFrame = image(frames: 2, pixels: .fragments([ByteBuffer(), bytes([1]), bytes([2])]))
        #expect(Array(try RawFrame(index: 1, of: perFrame, transferSyntax: rle).bytes.readableBytesView) == [2])
        let single = image(frames: 1, pixels: .fragments([ByteBuffer(), bytes([1]), bytes([2])]))
        let joined = try RawFrame(index: 0, of: single, transferSyntax: rle)
        #expect(Array(joined.bytes.readableBytesView) == [1, 2])
        #expect(joined.contentType == "application/octet-stream")
        let ambiguous = image(frames: 2, pixels: .fragments([ByteBuffer(), bytes([1]), bytes([2]), bytes([3])]))
        #expect(throws: OrthancError(.badFileFormat)) { try RawFrame(index: 0, of: ambiguous, transferSyntax: rle) }
    }
}
