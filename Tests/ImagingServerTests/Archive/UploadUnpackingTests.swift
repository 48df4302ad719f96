import CompressNIO
import Foundation
import NIOCore
import Testing

@testable import ImagingServer

/// ZIP, multipart and gzip upload bodies: what they carry, and crafted ones refused as malformed instead of
/// trapping on an overflow, allocating without bound or spending seconds of CPU.
@Suite struct UploadUnpackingTests {
    static func zip(_ files: [(String, [UInt8])]) -> ByteBuffer {
        var writer = ZipArchiveWriter()
        var archive = ByteBuffer()
        for (name, bytes) in files {
            var piece = writer.entry(named: name, contents: ByteBuffer(bytes: bytes))
            archive.writeBuffer(&piece)
        }
        var end = writer.finish()
        archive.writeBuffer(&end)
        return archive
    }

    /// 82 bytes: an end of central directory claiming 0xFFFF entries, after a ZIP64 locator whose record offset
    /// is 2^64 − 1.
    static func crafted82ByteZip64() -> ByteBuffer {
        var buffer = ByteBuffer()
        // A local file header signature so that the body looks like a ZIP, and padding.
        buffer.writeInteger(UInt32(0x0403_4b50), endianness: .little)
        buffer.writeRepeatingByte(0, count: 36)
        // ZIP64 end of central directory locator (20 bytes).
        buffer.writeInteger(UInt32(0x0706_4b50), endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)
        buffer.writeInteger(UInt64.max, endianness: .little)
        buffer.writeInteger(UInt32(1), endianness: .little)
        // End of central directory (22 bytes).
        buffer.writeInteger(UInt32(0x0605_4b50), endianness: .little)
        buffer.writeMultipleIntegers(UInt16(0), UInt16(0), UInt16(0xFFFF), UInt16(0xFFFF), endianness: .little)
        buffer.writeMultipleIntegers(UInt32(0xFFFF_FFFF), UInt32(0xFFFF_FFFF), UInt16(0), endianness: .little)
        return buffer
    }

    @Test func readsWhatTheWriterWrote() throws {
        let archive = Self.zip([("a.dcm", [1, 2, 3]), ("folder/b.dcm", Array(repeating: 7, count: 5000))])
        let entries = try ZipArchiveReader(archive).entries()
        #expect(entries.map(\.name) == ["a.dcm", "folder/b.dcm"])
        #expect(entries.map { Array($0.contents.readableBytesView) } == [[1, 2, 3], Array(repeating: 7, count: 5000)])
    }

    @Test func theCrafted82ByteZip64IsMalformed() {
        let archive = Self.crafted82ByteZip64()
        #expect(archive.readableBytes == 82)
        #expect(ZipArchiveReader.looksLikeZip(archive))
        #expect(throws: OrthancError.self) { try ZipArchiveReader(archive).entries() }
    }

    @Test func extremeOffsetsAndCountsAreMalformed() {
        let archive = Self.zip([("a.dcm", [1, 2, 3])])
        let bytes = Array(archive.readableBytesView)
        let end = bytes.count - 22
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16
        // The directory offset, the entry count, and the entry's sizes and local offset at their largest values.
        for (position, width) in [(end + 16, 4), (end + 10, 2), (directory + 20, 4), (directory + 42, 4)] {
            var mutant = bytes
            for index in position..<(position + width) { mutant[index] = 0xFF }
            #expect(throws: OrthancError.self) { try ZipArchiveReader(ByteBuffer(bytes: mutant)).entries() }
        }
    }

    @Test func entriesBeyondTheRequestLimitAreRefused() {
        let archive = Self.zip([("a.dcm", Array(repeating: 1, count: 600)), ("b.dcm", Array(repeating: 2, count: 600))])
        #expect(throws: OrthancError.self) { try ZipArchiveReader(archive).entries(maximumTotalSize: 1000) }
        #expect((try? ZipArchiveReader(archive).entries(maximumTotalSize: 1200))?.count == 2)
    }

    @Test func multipartPartsWithoutCopyingTheBody() throws {
        let body =
            "--XYZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nfirst\r\n--XYZ\r\n\r\nsecond\r\n--XYZ--\r\n"
        let parts = try UploadUnpacker.multipartParts(
            ByteBuffer(string: body), contentType: "multipart/form-data; boundary=XYZ")
        #expect(parts.map { String(buffer: $0) } == ["first", "second"])
    }

    @Test func aMultipartBodyOfDelimitersCostsLinearTime() throws {
        // 100,000 parts with no header terminator: each part's search stops at the next delimiter.
        var body = ByteBuffer()
        for _ in 0..<100_000 { body.writeString("--B\r\nx") }
        body.writeString("--B--")
        let started = ContinuousClock.now
        let parts = try UploadUnpacker.multipartParts(body, contentType: "multipart/form-data; boundary=B")
        #expect(parts.isEmpty)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func gzipBombsStopAtTheLimit() throws {
        var zeros = ByteBuffer(repeating: 0, count: 4 << 20)
        var compressed = try zeros.compress(with: .gzip())
        #expect(throws: OrthancError.self) {
            try UploadUnpacker.unpack(compressed, headers: ["content-encoding": "gzip"], maximumSize: 1 << 20)
        }
        var small = ByteBuffer(repeating: 0, count: 1000)
        compressed = try small.compress(with: .gzip())
        let unpacked = try UploadUnpacker.unpack(
            compressed, headers: ["content-encoding": "gzip"], maximumSize: 1 << 20)
        #expect(unpacked.files.first?.readableBytes == 1000)
    }

    /// SplitMix64: the same mutants on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Mutants of a ZIP, a multipart body and a gzip body: each unpacks or throws `OrthancError`. A trap fails the
    /// process. `ATRIUM_FUZZ_ITERATIONS` mutants (2,000 by default, 10,000 in `scripts/test`).
    @Test func uploadMutantsUnpackOrFailCleanly() throws {
        let iterations = ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
        var generator = Generator(state: 0x5EED_0214)
        let zip = Array(
            Self.zip([("a.dcm", [1, 2, 3]), ("b.dcm", Array(repeating: 9, count: 300))]).readableBytesView)
        let multipart = Array("--B\r\nX: y\r\n\r\n".utf8) + zip + Array("\r\n--B--\r\n".utf8)
        var zipBuffer = ByteBuffer(bytes: zip)
        let gzip = Array(try zipBuffer.compress(with: .gzip()).readableBytesView)
        let seeds: [([UInt8], [String: String])] = [
            (zip, [:]), (Array(Self.crafted82ByteZip64().readableBytesView), [:]),
            (multipart, ["content-type": "multipart/form-data; boundary=B"]),
            (gzip, ["content-encoding": "gzip"]),
        ]
        for iteration in 0..<iterations {
            let (seed, headers) = seeds[iteration % seeds.count]
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                case 1:
                    for index in position..<min(bytes.count, position + 8) { bytes[index] = 0xFF }
                case 2: bytes.removeSubrange(position..<bytes.count)
                default: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            do {
                _ = try UploadUnpacker.unpack(ByteBuffer(bytes: bytes), headers: headers, maximumSize: 1 << 20)
            } catch is OrthancError {
                continue
            }
        }
    }
}
