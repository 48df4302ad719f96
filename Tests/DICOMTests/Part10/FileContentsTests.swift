import DICOM
import Foundation
import NIOCore
import Testing

@Suite struct FileContentsTests {
    /// A temporary file with `bytes`, removed by the caller.
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-\(UUID().uuidString).dcm").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A Part 10 file whose Pixel Data is `pixelCount` bytes of a repeating pattern.
    private func fileWithPixels(_ pixelCount: Int) -> [UInt8] {
        var data = EncodedBytes()
        data.explicit(0x0008, 0x0018, "UI", Array("1.2.3.4".utf8) + [0])
        data.explicit(0x0028, 0x0010, "US", [0x10, 0x00])
        data.explicit(0x7FE0, 0x0010, "OB", (0..<pixelCount).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let buffer = EncodedBytes.part10(transferSyntax: "1.2.840.10008.1.2.1", dataSet: data.bytes)
        return Array(buffer.readableBytesView)
    }

    @Test(arguments: [16, FileContents.mappingThreshold + 4096])
    func readsSmallAndMapsLargeFilesToTheSameBytes(pixelCount: Int) throws {
        let bytes = fileWithPixels(pixelCount)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mapped = try FileContents.read(path: path)
        let read = try FileContents.read(path: path, mapping: false)
        #expect(Array(mapped.readableBytesView) == bytes)
        #expect(Array(read.readableBytesView) == bytes)
        let file = try DICOMFile(contentsOfFile: path)
        #expect(file.dataSet[.sopInstanceUID]?.string() == "1.2.3.4")
        #expect(file.dataSet[.pixelData]?.bytes.map { Array($0.readableBytesView) } == Array(bytes.suffix(pixelCount)))
    }

    @Test func aSliceOutlivesTheBufferItWasCutFrom() throws {
        let bytes = fileWithPixels(FileContents.mappingThreshold * 2)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var pixels: ByteBuffer?
        do {
            let file = try DICOMFile(contentsOfFile: path)
            pixels = file.dataSet[.pixelData]?.bytes
        }
        // The file is gone and the parse's buffers are released: the slice keeps the mapping alive.
        try FileManager.default.removeItem(atPath: path)
        let kept = try #require(pixels)
        #expect(kept.readableBytes == FileContents.mappingThreshold * 2)
        #expect(kept.getInteger(at: kept.readerIndex + 1000, as: UInt8.self) == UInt8(truncatingIfNeeded: 1000 * 7))
    }

    @Test func writingToAMappedBufferLeavesTheFileAlone() throws {
        let bytes = fileWithPixels(FileContents.mappingThreshold)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var buffer = try FileContents.read(path: path)
        let copy = buffer
        buffer.setInteger(UInt8(0xAB), at: buffer.readerIndex)
        buffer.writeBytes([1, 2, 3])  // grows past the mapping: moves to ordinary memory
        #expect(buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0xAB)
        #expect(Array(buffer.readableBytesView.suffix(3)) == [1, 2, 3])
        #expect(Array(copy.readableBytesView) == bytes)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }

    @Test func aMappedBufferThatGrowsMovesToOrdinaryMemory() throws {
        let bytes = fileWithPixels(FileContents.mappingThreshold)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var buffer = try FileContents.read(path: path)
        buffer.writeBytes([9, 8, 7])
        #expect(Array(buffer.readableBytesView) == bytes + [9, 8, 7])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }

    @Test func aMissingFileOrAFolderIsAnUnreadableFile() throws {
        #expect(throws: DICOMError(.unreadableFile, "")) {
            try FileContents.read(path: "/nonexistent/atrium/file.dcm")
        }
        #expect(throws: DICOMError(.unreadableFile, "")) {
            try FileContents.read(path: FileManager.default.temporaryDirectory.path)
        }
    }

    @Test func anEmptyFileIsEmpty() throws {
        let path = try temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FileContents.read(path: path).readableBytes == 0)
        #expect(throws: DICOMError(.notPart10, "")) { try DICOMFile(contentsOfFile: path) }
    }
}
