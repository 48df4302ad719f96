import CompressNIO
import NIOCore
import Testing

@testable import ImagingServer

@Suite struct PNGEncoderTests {
    /// The chunks of a PNG file, with their CRCs checked.
    func chunks(_ png: ByteBuffer) throws -> [(type: String, data: ByteBuffer)] {
        var reader = png
        #expect(reader.readBytes(length: 8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var result: [(String, ByteBuffer)] = []
        while reader.readableBytes > 0 {
            let header = reader.readInteger(as: UInt32.self)
            let length = Int(try #require(header))
            let slice = reader.readSlice(length: 4 + length)
            let typeAndData = try #require(slice)
            let checksum = reader.readInteger(as: UInt32.self)
            let crc = try #require(checksum)
            #expect(crc == CRC32.checksum(typeAndData.readableBytesView))
            let type = String(decoding: typeAndData.readableBytesView.prefix(4), as: UTF8.self)
            result.append((type, typeAndData.getSlice(at: typeAndData.readerIndex + 4, length: length) ?? ByteBuffer()))
        }
        return result
    }

    @Test func grayscaleSixteenBits() throws {
        let png = try PNGEncoder(width: 2, height: 2, format: .gray16).encode([0x01, 0x02, 0xFF, 0xFE, 0, 0, 0x80, 0])
        let parts = try chunks(png)
        #expect(parts.map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(Array(parts[0].data.readableBytesView) == [0, 0, 0, 2, 0, 0, 0, 2, 16, 0, 0, 0, 0])
        var compressed = parts[1].data
        let scanlines = try compressed.decompress(with: .zlib())
        #expect(Array(scanlines.readableBytesView) == [0, 0x01, 0x02, 0xFF, 0xFE, 0, 0, 0, 0x80, 0])
        #expect(parts[2].data.readableBytes == 0)
        // The CRC of an empty IEND chunk is a constant of the format.
        #expect(Array(png.readableBytesView.suffix(4)) == [0xAE, 0x42, 0x60, 0x82])
    }

    @Test func rgbAndGray8Headers() throws {
        let rgb = try chunks(PNGEncoder(width: 1, height: 1, format: .rgb8).encode([1, 2, 3]))
        #expect(Array(rgb[0].data.readableBytesView) == [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
        var data = rgb[1].data
        #expect(Array(try data.decompress(with: .zlib()).readableBytesView) == [0, 1, 2, 3])
        let gray = try chunks(PNGEncoder(width: 3, height: 1, format: .gray8).encode([7, 8, 9]))
        #expect(Array(gray[0].data.readableBytesView) == [0, 0, 0, 3, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        var grayData = gray[1].data
        #expect(Array(try grayData.decompress(with: .zlib()).readableBytesView) == [0, 7, 8, 9])
    }

    @Test func sizeMismatchThrows() {
        #expect(throws: OrthancError(.internalError)) {
            try PNGEncoder(width: 2, height: 2, format: .gray8).encode([1, 2, 3])
        }
    }
}
