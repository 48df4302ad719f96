import NIOCore
import Testing

@testable import ImagingServer

@Suite struct JPEGEncoderTests {
    @Test func qualityScalesTheAnnexKTables() {
        #expect(JPEGEncoder.scaled(JPEGEncoder.luminance, quality: 50) == JPEGEncoder.luminance)
        #expect(JPEGEncoder.scaled(JPEGEncoder.luminance, quality: 100) == [Int](repeating: 1, count: 64))
        // Orthanc's default, 90: 16 → 3, 11 → 2 (scale 20%, rounded).
        #expect(JPEGEncoder.scaled(JPEGEncoder.luminance, quality: 90).prefix(3) == [3, 2, 2])
        #expect(JPEGEncoder.scaled(JPEGEncoder.chrominance, quality: 1).allSatisfy { $0 == 255 })
    }

    @Test func huffmanCodesFollowAnnexC() {
        // Table K.3: category 0 is 00, 1 is 010, 11 is 111111110.
        #expect(JPEGEncoder.dcLuminance.codes[0]?.code == 0b00)
        #expect(JPEGEncoder.dcLuminance.codes[0]?.length == 2)
        #expect(JPEGEncoder.dcLuminance.codes[1]?.code == 0b010)
        #expect(JPEGEncoder.dcLuminance.codes[11]?.length == 9)
        // Table K.5: end of block is 1010, ZRL (F/0) 11111111001.
        #expect(JPEGEncoder.acLuminance.codes[0x00]?.code == 0b1010)
        #expect(JPEGEncoder.acLuminance.codes[0xF0]?.code == 0b111_1111_1001)
        #expect(JPEGEncoder.acLuminance.codes.count == 162)
        #expect(JPEGEncoder.acChrominance.codes.count == 162)
    }

    @Test func categoriesAndStuffing() {
        #expect(JPEGEncoder.BitWriter.category(0) == (0, 0))
        #expect(JPEGEncoder.BitWriter.category(5) == (3, 0b101))
        #expect(JPEGEncoder.BitWriter.category(-5) == (3, 0b010))
        var writer = JPEGEncoder.BitWriter()
        writer.write(0xFF, 8)
        writer.write(0b1, 1)
        writer.flush()
        #expect(writer.bytes == [0xFF, 0x00, 0xFF, 0x00])
    }

    @Test func uniformGrayImage() throws {
        // A uniform 128 block: DC 0 (code 00) and end of block (1010), padded with 1s: 0010 1011 1111 …
        let jpeg = try JPEGEncoder(width: 8, height: 8, components: 1, quality: 90)
            .encode([UInt8](repeating: 128, count: 64))
        let bytes = Array(jpeg.readableBytesView)
        #expect(bytes.prefix(4) == [0xFF, 0xD8, 0xFF, 0xE0])
        #expect(bytes.suffix(3) == [0x2B, 0xFF, 0xD9])
        // SOI, APP0, DQT, SOF0, DHT (DC 33, AC 183 bytes), SOS, one byte of data, EOI.
        #expect(bytes.count == 2 + 18 + 69 + 13 + 33 + 183 + 10 + 1 + 2)
        #expect(throws: OrthancError(.internalError)) {
            try JPEGEncoder(width: 8, height: 8, components: 3, quality: 90).encode([1])
        }
    }
}
