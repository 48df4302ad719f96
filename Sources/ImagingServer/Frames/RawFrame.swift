import DICOM
import Foundation
import NIOCore

/// One frame of an instance's pixel data, as stored: `GET /instances/{id}/frames/{n}/raw`.
///
/// Native pixel data is cut into frames of Rows × Columns × SamplesPerPixel × BitsAllocated bits (PS3.5 §8.1.1,
/// PS3.3 §C.7.6.3). Encapsulated pixel data (PS3.5 §A.4) gives a frame's fragments: those between two entries of
/// the Basic Offset Table when it has any, otherwise one fragment per frame, or all of them when there is a
/// single frame. Native OW pixel data of a big endian data set is answered in little endian byte order (PS3.5
/// §7.3), as Orthanc does.
struct RawFrame {
    /// The frame's bytes.
    let bytes: ByteBuffer
    /// Orthanc's `Content-Type` for it: `image/jpeg` for JPEG Baseline, `image/jp2` for JPEG 2000, otherwise
    /// `application/octet-stream`.
    let contentType: String

    /// The frame numbered `index` (from 0) of a data set.
    ///
    /// - Throws: `OrthancError.noPixelData` without pixel data; `OrthancError.parameterOutOfRange` when there is
    ///   no such frame; `OrthancError.badFileFormat`
    ///   when the pixel data and the image attributes disagree, or fragments cannot be matched to frames.
    init(index: Int, of dataSet: DataSet, transferSyntax: TransferSyntax) throws {
        guard let pixelData = dataSet[.pixelData] else {
            throw OrthancError(.noPixelData, "the instance has no pixel data")
        }
        let frameCount = Self.integer(dataSet, DICOMTag(0x0028, 0x0008)) ?? 1
        guard index >= 0, index < max(frameCount, 1) else { throw OrthancError(.parameterOutOfRange) }
        if let fragments = pixelData.fragments {
            bytes = try Self.encapsulatedFrame(index, frameCount: max(frameCount, 1), fragments: fragments)
        } else if let native = pixelData.bytes {
            let rows = Self.integer(dataSet, DICOMTag(0x0028, 0x0010)) ?? 0
            let columns = Self.integer(dataSet, DICOMTag(0x0028, 0x0011)) ?? 0
            let samples = Self.integer(dataSet, DICOMTag(0x0028, 0x0002)) ?? 1
            let bitsAllocated = Self.integer(dataSet, DICOMTag(0x0028, 0x0100)) ?? 0
            let (bits, overflow) = rows.multipliedReportingOverflow(by: columns * samples * bitsAllocated)
            let frameSize = (bits + 7) / 8
            guard !overflow, frameSize > 0,
                let slice = native.getSlice(
                    at: native.readerIndex + index * frameSize,
                    length: frameSize)
            else { throw OrthancError(.badFileFormat, "the pixel data is shorter than its frames") }
            // Like Orthanc, OW values of a big endian data set are answered in little endian byte order.
            bytes = !transferSyntax.isLittleEndian && pixelData.vr == .OW ? Self.swappingWords(slice) : slice
        } else {
            throw OrthancError(.badFileFormat, "the pixel data is neither native nor encapsulated")
        }
        switch transferSyntax.uid {
        case "1.2.840.10008.1.2.4.50": contentType = "image/jpeg"
        case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91": contentType = "image/jp2"
        default: contentType = "application/octet-stream"
        }
    }

    /// The bytes with each 16-bit word's two bytes exchanged.
    static func swappingWords(_ buffer: ByteBuffer) -> ByteBuffer {
        var bytes = [UInt8](buffer.readableBytesView)
        var position = 0
        while position + 1 < bytes.count {
            bytes.swapAt(position, position + 1)
            position += 2
        }
        return ByteBuffer(bytes: bytes)
    }

    /// The fragments of one frame, joined.
    static func encapsulatedFrame(_ index: Int, frameCount: Int, fragments: [ByteBuffer]) throws -> ByteBuffer {
        guard let table = fragments.first else { throw OrthancError(.badFileFormat, "no Basic Offset Table") }
        let items = Array(fragments.dropFirst())
        var offsets: [Int] = []
        var reader = table
        while let offset = reader.readInteger(endianness: .little, as: UInt32.self) { offsets.append(Int(offset)) }
        let selected: ArraySlice<ByteBuffer>
        if !offsets.isEmpty {
            guard offsets.count == frameCount else {
                throw OrthancError(.badFileFormat, "the Basic Offset Table does not list every frame")
            }
            // An offset counts bytes from the first fragment's item header; each item has an 8-byte header.
            var starts: [Int] = []
            var position = 0
            for item in items {
                starts.append(position)
                position += 8 + item.readableBytes
            }
            let begin = offsets[index]
            let end = index + 1 < offsets.count ? offsets[index + 1] : position
            guard let first = starts.firstIndex(of: begin), end == position || starts.contains(end) else {
                throw OrthancError(.badFileFormat, "the Basic Offset Table does not point at fragments")
            }
            let last = starts.firstIndex(of: end) ?? items.count
            selected = items[first..<last]
        } else if items.count == frameCount {
            selected = items[index...index]
        } else if frameCount == 1 {
            selected = items[...]
        } else {
            throw OrthancError(.badFileFormat, "the fragments cannot be matched to frames without an offset table")
        }
        if selected.count == 1, let only = selected.first { return only }
        var joined = ByteBuffer()
        for fragment in selected {
            var copy = fragment
            joined.writeBuffer(&copy)
        }
        return joined
    }

    /// An integer attribute: US, or an IS string.
    static func integer(_ dataSet: DataSet, _ tag: DICOMTag) -> Int? {
        guard let element = dataSet[tag] else { return nil }
        if let value = element.uint16s?.first { return Int(value) }
        return element.string().flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
