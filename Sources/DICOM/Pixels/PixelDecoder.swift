public import NIOCore

/// Decodes frames of pixel data to integer samples: native (PS3.5 §8.1.1) and RLE Lossless (PS3.5 Annex G).
///
/// Each decoder checks the frame's length against its attributes and throws `DICOMError` rather than reading out
/// of bounds, so malformed input never crashes.
public enum PixelDecoder {
    /// Decodes one native frame: `bytes` holds exactly the frame's cells (or more; the rest is ignored).
    ///
    /// Cells of Bits Allocated bits are read in the given byte order; the value is the Bits Stored bits ending at
    /// High Bit, sign-extended when Pixel Representation is 1 (PS3.5 §8.1.1, PS3.3 §C.7.6.3.1). Color frames with
    /// Planar Configuration 1 are reordered color-by-pixel.
    ///
    /// - Throws: `DICOMError.invalidValue` for attributes out of range; `DICOMError.truncated` when `bytes` is
    ///   shorter than a frame.
    public static func decodeNative(
        _ bytes: ByteBuffer, attributes: PixelAttributes, bigEndian: Bool = false
    ) throws -> DecodedFrame {
        try attributes.validate()
        let (length, overflow) = attributes.pixelCount.multipliedReportingOverflow(
            by: attributes.samplesPerPixel * (attributes.bitsAllocated / 8))
        guard !overflow, bytes.readableBytes >= length else {
            throw DICOMError(.truncated, "the pixel data is shorter than one frame (\(length) bytes)")
        }
        let count = attributes.pixelCount * attributes.samplesPerPixel
        var cells = [UInt32](repeating: 0, count: count)
        bytes.withUnsafeReadableBytes { raw in
            switch attributes.bitsAllocated {
            case 8:
                for index in 0..<count { cells[index] = UInt32(raw[index]) }
            case 16:
                for index in 0..<count {
                    let first = UInt32(raw[2 * index])
                    let second = UInt32(raw[2 * index + 1])
                    cells[index] = bigEndian ? first << 8 | second : second << 8 | first
                }
            default:
                for index in 0..<count {
                    var value: UInt32 = 0
                    for byte in 0..<4 {
                        let shift = bigEndian ? 8 * (3 - byte) : 8 * byte
                        value |= UInt32(raw[4 * index + byte]) << shift
                    }
                    cells[index] = value
                }
            }
        }
        let planar = attributes.samplesPerPixel > 1 && attributes.planarConfiguration == 1
        return DecodedFrame(attributes: attributes, samples: values(of: cells, attributes, planar: planar))
    }

    /// Decodes one RLE Lossless frame: its fragments joined (PS3.5 Annex G).
    ///
    /// The 64-byte header gives the number of segments and their offsets (§G.5); each segment is PackBits-coded
    /// (§G.3.1) and holds one byte of every cell of one sample, most significant byte first (§G.2). The result is
    /// color-by-pixel whatever the Planar Configuration says (§G.2: RLE frames are always color-by-plane).
    ///
    /// - Throws: `DICOMError.invalidValue` when the header does not match the attributes; `DICOMError.truncated`
    ///   when a segment decodes to fewer bytes than the frame needs.
    public static func decodeRLE(_ bytes: ByteBuffer, attributes: PixelAttributes) throws -> DecodedFrame {
        try attributes.validate()
        let bytesPerCell = attributes.bitsAllocated / 8
        let segmentCount = attributes.samplesPerPixel * bytesPerCell
        var header = bytes
        guard let announced = header.readInteger(endianness: .little, as: UInt32.self) else {
            throw DICOMError(.truncated, "the RLE header is shorter than 64 bytes")
        }
        var starts: [Int] = []
        for _ in 0..<15 {
            guard let offset = header.readInteger(endianness: .little, as: UInt32.self) else {
                throw DICOMError(.truncated, "the RLE header is shorter than 64 bytes")
            }
            starts.append(Int(offset))
        }
        guard Int(announced) == segmentCount else {
            throw DICOMError(
                .invalidValue, "the RLE header announces \(announced) segments where \(segmentCount) are expected")
        }
        let pixels = attributes.pixelCount
        let total = bytes.readableBytes
        // A PackBits replicate run turns 2 bytes into at most 128: a frame whose segments could not hold the
        // announced size is refused before memory for that size is taken (Rows and Columns come from the file).
        guard pixels <= 64 * total else {
            throw DICOMError(.truncated, "the RLE frame is too short for \(pixels) pixels")
        }
        var cells = [UInt32](repeating: 0, count: pixels * attributes.samplesPerPixel)
        try bytes.withUnsafeReadableBytes { raw in
            for segment in 0..<segmentCount {
                let start = starts[segment]
                let end = segment + 1 < segmentCount ? starts[segment + 1] : total
                guard start >= 64, start <= end, end <= total else {
                    throw DICOMError(.invalidValue, "RLE segment \(segment + 1) has an offset out of the frame")
                }
                let sample = segment / bytesPerCell
                let shift = UInt32(8 * (bytesPerCell - 1 - segment % bytesPerCell))
                var written = 0
                var position = start
                func put(_ byte: UInt8) {
                    cells[sample * pixels + written] |= UInt32(byte) << shift
                    written += 1
                }
                while position < end, written < pixels {
                    let control = Int8(bitPattern: raw[position])
                    position += 1
                    if control >= 0 {
                        let run = Int(control) + 1
                        guard position + run <= end else {
                            throw DICOMError(.truncated, "RLE segment \(segment + 1) ends inside a literal run")
                        }
                        for offset in 0..<min(run, pixels - written) { put(raw[position + offset]) }
                        position += run
                    } else if control != -128 {
                        guard position < end else {
                            throw DICOMError(.truncated, "RLE segment \(segment + 1) ends inside a replicate run")
                        }
                        let byte = raw[position]
                        position += 1
                        for _ in 0..<min(1 - Int(control), pixels - written) { put(byte) }
                    }
                }
                guard written == pixels else {
                    throw DICOMError(
                        .truncated, "RLE segment \(segment + 1) decodes to \(written) bytes, not \(pixels)")
                }
            }
        }
        let planar = attributes.samplesPerPixel > 1
        return DecodedFrame(attributes: attributes, samples: values(of: cells, attributes, planar: planar))
    }

    /// The sample values of cells: masked, shifted, sign-extended, and reordered color-by-pixel from planes.
    static func values(of cells: [UInt32], _ attributes: PixelAttributes, planar: Bool) -> [Int64] {
        let shift = UInt32(attributes.highBit + 1 - attributes.bitsStored)
        let mask: UInt64 = attributes.bitsStored >= 32 ? 0xFFFF_FFFF : (1 << UInt64(attributes.bitsStored)) - 1
        let signBit: UInt64 = 1 << UInt64(attributes.bitsStored - 1)
        let signed = attributes.isSigned
        let samples = attributes.samplesPerPixel
        let pixels = attributes.pixelCount
        var result = [Int64](repeating: 0, count: cells.count)
        for index in 0..<cells.count {
            let bits = (UInt64(cells[index]) >> UInt64(shift)) & mask
            let value = signed && bits & signBit != 0 ? Int64(bits) - Int64(mask) - 1 : Int64(bits)
            let target = planar ? (index % pixels) * samples + index / pixels : index
            result[target] = value
        }
        return result
    }
}
