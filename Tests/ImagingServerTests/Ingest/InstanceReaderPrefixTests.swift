import DICOM
import NIOCore
import Testing

@testable import ImagingServer

/// Reading a large file through a prefix: the same reading as the whole-file parse, a prefix that grows only as
/// far as the elements before Pixel Data, and truncated files refused.
@Suite struct InstanceReaderPrefixTests {
    static func element(_ group: UInt16, _ element: UInt16, _ vr: VR, _ bytes: [UInt8]) -> DataElement {
        DataElement(tag: DICOMTag(group, element), vr: vr, value: .bytes(ByteBuffer(bytes: bytes)))
    }

    static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed &+ $0 >> 9) }
    }

    /// A file with 200 kB of private data before its pixels (beyond the first prefix) and padding after them.
    static func file(transferSyntax: TransferSyntax, encapsulated: Bool = false) throws -> ByteBuffer {
        var elements = [
            DataElement(tag: DICOMTag(0x0008, 0x0016), vr: .UI, strings: ["1.2.840.10008.5.1.4.1.1.7"]),
            DataElement(tag: DICOMTag(0x0008, 0x0018), vr: .UI, strings: ["1.2.3.4.5"]),
            DataElement(tag: DICOMTag(0x0008, 0x0060), vr: .CS, strings: ["OT"]),
            element(0x0009, 0x0010, .LO, Array("ATRIUM TEST ".utf8)),
            element(0x0009, 0x1000, .OB, pattern(200_000, seed: 1)),
            DataElement(tag: DICOMTag(0x0010, 0x0020), vr: .LO, strings: ["PREFIX"]),
            DataElement(tag: DICOMTag(0x0020, 0x000D), vr: .UI, strings: ["1.2.3"]),
            DataElement(tag: DICOMTag(0x0020, 0x000E), vr: .UI, strings: ["1.2.3.4"]),
            DataElement(tag: DICOMTag(0x0028, 0x0010), uint16s: [100]),
            DataElement(tag: DICOMTag(0x0028, 0x0011), uint16s: [500]),
            DataElement(tag: DICOMTag(0x0028, 0x0100), uint16s: [16]),
        ]
        if encapsulated {
            elements.append(
                DataElement(
                    tag: .pixelData, vr: .OB,
                    value: .fragments([
                        ByteBuffer(), ByteBuffer(bytes: pattern(60_001 + 1, seed: 2)),
                        ByteBuffer(bytes: pattern(40_000, seed: 3)),
                    ])))
        } else {
            elements.append(element(0x7FE0, 0x0010, .OW, pattern(100_000, seed: 4)))
        }
        elements.append(element(0xFFFC, 0xFFFC, .OB, pattern(10, seed: 5)))
        return try DICOMFile(dataSet: DataSet(elements), transferSyntax: transferSyntax).write()
    }

    static let cases: [(TransferSyntax, Bool)] = [
        (.explicitVRLittleEndian, false), (TransferSyntax(uid: "1.2.840.10008.1.2"), false),
        (TransferSyntax(uid: "1.2.840.10008.1.2.4.50"), true),
    ]

    /// Reads `bytes` through a prefix, counting the bytes read.
    static func readThroughPrefix(_ bytes: ByteBuffer) -> (Result<InstanceReader.Reading, IngestRejection>, Int) {
        final class Counter { var bytes = 0 }
        let counter = Counter()
        let result = Result { () throws(IngestRejection) -> InstanceReader.Reading in
            try InstanceReader.read(size: Int64(bytes.readableBytes)) { offset, count in
                let available = max(0, bytes.readableBytes - Int(offset))
                let slice = bytes.getSlice(at: bytes.readerIndex + Int(offset), length: min(count, available))
                counter.bytes += slice?.readableBytes ?? 0
                return slice ?? ByteBuffer()
            }
        }
        return (result, counter.bytes)
    }

    static func summary(_ reading: InstanceReader.Reading) -> String {
        "\(reading.patientID) \(reading.studyInstanceUID) \(reading.seriesInstanceUID) \(reading.sopInstanceUID) "
            + "\(reading.tags.sorted { $0.key < $1.key }) \(reading.transferSyntaxUID) \(reading.sopClassUID ?? "-") "
            + "\(reading.pixelDataOffset ?? -1) \(reading.pixelDataVR ?? "-")"
    }

    @Test(arguments: cases)
    func readsWhatTheWholeFileParseReads(transferSyntax: TransferSyntax, encapsulated: Bool) throws {
        let bytes = try Self.file(transferSyntax: transferSyntax, encapsulated: encapsulated)
        let whole = try InstanceReader.read(bytes)
        let (result, read) = Self.readThroughPrefix(bytes)
        let prefixed = try result.get()
        #expect(Self.summary(prefixed) == Self.summary(whole))
        #expect(prefixed.pixelDataOffset != nil)
        #expect(prefixed.tags[0x0010_0020] == "PREFIX")
        // Two prefixes, 64 KiB then 256 KiB (past the private data), and no more; the pixels were walked by their
        // headers only.
        #expect(read < 64 * 1024 + 256 * 1024 + 1024)
    }

    @Test(arguments: cases)
    func aTruncatedFileIsRefusedAsTheWholeFileParseRefusesIt(transferSyntax: TransferSyntax, encapsulated: Bool)
        throws
    {
        let bytes = try Self.file(transferSyntax: transferSyntax, encapsulated: encapsulated)
        let pixelStart = try #require(try InstanceReader.read(bytes).pixelDataOffset)
        let size = bytes.readableBytes
        var cuts = Array(stride(from: 0, to: size, by: 4999))
        // Inside the pixels, just before their end, inside the last header and the last byte.
        cuts += [pixelStart - 1, pixelStart + 1, pixelStart + 50_000, size - 30, size - 20, size - 12, size - 1]
        for cut in cuts {
            let truncated = bytes.getSlice(at: bytes.readerIndex, length: cut)!
            let whole = Result { () throws(IngestRejection) in try InstanceReader.read(truncated) }
            let (prefixed, _) = Self.readThroughPrefix(truncated)
            switch (whole, prefixed) {
            case (.success(let expected), .success(let actual)):
                // A cut between two elements before the pixels looks like a shorter, complete data set to both.
                #expect(Self.summary(actual) == Self.summary(expected), "cut at \(cut)")
                #expect(cut < pixelStart, "cut at \(cut) accepted")
            case (.failure, .failure(let rejection)):
                #expect(rejection.reason == .unreadableFile, "cut at \(cut)")
            default:
                Issue.record("cut at \(cut): whole \(whole), through a prefix \(prefixed)")
            }
            if cut >= pixelStart {
                #expect(throws: IngestRejection.self, "cut at \(cut)") { try prefixed.get() }
            }
        }
    }

    @Test func anEncapsulatedPixelDataWithoutItsDelimiterIsRefused() throws {
        let bytes = try Self.file(transferSyntax: TransferSyntax(uid: "1.2.840.10008.1.2.4.50"), encapsulated: true)
        // Without the padding element (22 bytes) and the Sequence Delimitation Item (8 bytes) that precedes it.
        let cut = bytes.getSlice(at: bytes.readerIndex, length: bytes.readableBytes - 22 - 8)!
        #expect(throws: IngestRejection.self) { try Self.readThroughPrefix(cut).0.get() }
        // Without the padding only, the file is complete.
        let complete = bytes.getSlice(at: bytes.readerIndex, length: bytes.readableBytes - 22)!
        #expect(try Self.readThroughPrefix(complete).0.get().pixelDataVR == "OB")
    }
}
