import DICOM
import NIOCore

/// Walks the top-level elements of a file that a parse stopped before (Pixel Data and what follows), reading only
/// their headers, to prove the file is complete without holding it in memory.
///
/// Each defined length must end within the file (PS3.5 §7.1); a value of undefined length is a run of items
/// that must end with a Sequence Delimitation Item, each item of undefined length with an Item Delimitation Item
/// (PS3.5 §7.5, and §A.4 for encapsulated Pixel Data, whose fragments are items). A file cut anywhere in this
/// part fails the walk, as the whole-file parse of the in-memory path fails.
struct DataSetTail {
    /// Where Pixel Data's value starts, and its VR as the parser reports it.
    struct PixelData: Equatable {
        let valueOffset: Int
        let vr: String
    }

    /// True when the data set's elements carry their VR.
    let explicitVR: Bool
    let bigEndian: Bool
    /// The size of the file.
    let size: Int64
    /// Reads up to `count` bytes at an offset; fewer only at the end of the file.
    let read: (_ offset: Int64, _ count: Int) throws -> ByteBuffer

    private static let maximumDepth = 64
    private static let undefinedLength: UInt32 = 0xFFFF_FFFF

    /// Walks from `offset`, the first unread top-level element, to the end of the file.
    ///
    /// - Returns: where Pixel Data's value starts, if the walk met Pixel Data.
    /// - Throws: `DICOMError` (`truncated`, `invalidTag`, `invalidLength`, `nestingTooDeep`) naming the offset.
    func walk(from offset: Int64) throws -> PixelData? {
        var pixelData: PixelData?
        _ = try walkElements(
            from: offset, end: size, delimited: false, explicitVR: explicitVR, depth: 0, pixelData: &pixelData)
        return pixelData
    }

    /// Walks elements up to `end`, or up to an Item Delimitation Item when `delimited`; returns where they end.
    private func walkElements(
        from start: Int64, end: Int64, delimited: Bool, explicitVR: Bool, depth: Int, pixelData: inout PixelData?
    ) throws -> Int64 {
        var position = start
        while true {
            if position >= end {
                guard !delimited else { throw failure(.truncated, "the item has no Item Delimitation Item", position) }
                return position
            }
            let header = try read(position, 12)
            guard header.readableBytes >= 8, let tag = tag(in: header) else {
                throw failure(.truncated, "the input ends inside an element header", position)
            }
            if tag == .itemDelimitationItem {
                guard delimited else {
                    throw failure(.invalidTag, "an Item Delimitation Item out of an item", position)
                }
                return position + 8
            }
            var vr: VR?
            let length: UInt32
            var headerLength: Int64 = 8
            if explicitVR {
                guard let explicit = VR(byte0: header.getInteger(at: 4) ?? 0, byte1: header.getInteger(at: 5) ?? 0)
                else { throw failure(.invalidVR, "the VR bytes name no value representation", position) }
                vr = explicit
                if explicit.hasLongExplicitLength {
                    guard header.readableBytes >= 12, let long = integer(UInt32.self, in: header, at: 8) else {
                        throw failure(.truncated, "the element header is cut", position)
                    }
                    length = long
                    headerLength = 12
                } else {
                    length = UInt32(integer(UInt16.self, in: header, at: 6) ?? 0)
                }
            } else {
                length = integer(UInt32.self, in: header, at: 4) ?? 0
            }
            let valueStart = position + headerLength
            if depth == 0, tag == .pixelData {
                let reported = vr?.rawValue ?? (length == Self.undefinedLength ? "OB" : "OW")
                pixelData = PixelData(valueOffset: Int(valueStart), vr: reported)
            }
            if length == Self.undefinedLength {
                // An undefined-length UN holds a sequence encoded in Implicit VR Little Endian (PS3.5 §6.2.2).
                position = try walkItems(
                    from: valueStart, end: end, explicitVR: vr == .UN ? false : explicitVR, depth: depth + 1)
            } else {
                guard Int64(length) <= end - valueStart else {
                    throw failure(.truncated, "the value of \(tag) runs past the end of the file", position)
                }
                position = valueStart + Int64(length)
            }
        }
    }

    /// Walks items up to their Sequence Delimitation Item; returns where it ends.
    private func walkItems(from start: Int64, end: Int64, explicitVR: Bool, depth: Int) throws -> Int64 {
        guard depth <= Self.maximumDepth else {
            throw failure(.nestingTooDeep, "sequences nest deeper than \(Self.maximumDepth) levels", start)
        }
        var position = start
        var ignored: PixelData?
        while true {
            let header = try read(position, 8)
            guard header.readableBytes == 8, let tag = tag(in: header),
                let length = integer(UInt32.self, in: header, at: 4)
            else {
                throw failure(.truncated, "the sequence is cut before its end", position)
            }
            if tag == .sequenceDelimitationItem { return position + 8 }
            guard tag == .item else { throw failure(.invalidTag, "\(tag) where an Item was expected", position) }
            if length == Self.undefinedLength {
                position = try walkElements(
                    from: position + 8, end: end, delimited: true, explicitVR: explicitVR, depth: depth,
                    pixelData: &ignored)
            } else {
                guard Int64(length) <= end - position - 8 else {
                    throw failure(.truncated, "an item runs past the end of the file", position)
                }
                position += 8 + Int64(length)
            }
        }
    }

    private func tag(in header: ByteBuffer) -> DICOMTag? {
        guard let group = integer(UInt16.self, in: header, at: 0), let element = integer(UInt16.self, in: header, at: 2)
        else { return nil }
        return DICOMTag(group, element)
    }

    private func integer<T: FixedWidthInteger>(_: T.Type, in header: ByteBuffer, at index: Int) -> T? {
        header.getInteger(at: header.readerIndex + index, endianness: bigEndian ? .big : .little, as: T.self)
    }

    private func failure(_ code: DICOMError.Code, _ message: String, _ offset: Int64) -> DICOMError {
        DICOMError(code, message, offset: Int(offset))
    }
}
