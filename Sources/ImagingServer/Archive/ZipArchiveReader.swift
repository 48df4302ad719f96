import CompressNIO
package import NIOCore

/// Reads the files of a ZIP archive held in memory (PKWARE APPNOTE 6.3), for uploads of ZIP files.
///
/// Entries stored or deflated are supported; ZIP64 sizes and offsets are read. Folders are skipped.
package struct ZipArchiveReader {
    package struct Entry {
        package let name: String
        package let contents: ByteBuffer
    }

    private let archive: ByteBuffer

    /// Whether `bytes` start like a ZIP archive (a local file header or an empty archive's end record).
    package static func looksLikeZip(_ bytes: ByteBuffer) -> Bool {
        let signature = bytes.getInteger(at: bytes.readerIndex, endianness: .little, as: UInt32.self)
        return signature == 0x0403_4b50 || signature == 0x0605_4b50
    }

    package init(_ archive: ByteBuffer) {
        self.archive = archive
    }

    /// Every file of the archive, decompressed.
    ///
    /// Every size and offset comes from the archive: each is checked against the archive's length before any
    /// arithmetic, so a crafted record (an offset of 2^64 − 1) is a malformed archive, never an overflow.
    ///
    /// - Parameter maximumTotalSize: the largest total of decompressed entries accepted (the request limit).
    /// - Throws: `OrthancError.badFileFormat` if the archive is malformed or unpacks beyond `maximumTotalSize`.
    package func entries(maximumTotalSize: Int = 1 << 32) throws -> [Entry] {
        let start = archive.readerIndex
        let length = archive.readableBytes
        guard length >= 22 else { throw OrthancError(.badFileFormat, "truncated ZIP archive") }
        // The end of central directory record is in the last 65,557 bytes.
        var endOffset: Int?
        var position = length - 22
        let lowest = max(0, length - 22 - 0xFFFF)
        while position >= lowest {
            if archive.getInteger(at: start + position, endianness: .little, as: UInt32.self) == 0x0605_4b50 {
                endOffset = position
                break
            }
            position -= 1
        }
        guard let endOffset else { throw OrthancError(.badFileFormat, "no ZIP end of central directory") }
        // Every `at` below is an offset no larger than `length` plus a few small constants: no overflow.
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at <= length - 2,
                let value = archive.getInteger(at: start + at, endianness: .little, as: UInt16.self)
            else { throw OrthancError(.badFileFormat, "truncated ZIP archive") }
            return Int(value)
        }
        func u32(_ at: Int) throws -> UInt64 {
            guard at >= 0, at <= length - 4,
                let value = archive.getInteger(at: start + at, endianness: .little, as: UInt32.self)
            else { throw OrthancError(.badFileFormat, "truncated ZIP archive") }
            return UInt64(value)
        }
        func u64(_ at: Int) throws -> UInt64 {
            guard at >= 0, at <= length - 8,
                let value = archive.getInteger(at: start + at, endianness: .little, as: UInt64.self)
            else { throw OrthancError(.badFileFormat, "truncated ZIP archive") }
            return value
        }
        /// An offset read from the archive, refused unless it lies within it.
        func offset(_ value: UInt64) throws -> Int {
            guard value <= UInt64(length) else { throw OrthancError(.badFileFormat, "a ZIP offset beyond the archive") }
            return Int(value)
        }
        var count = try u16(endOffset + 10)
        var directoryOffset = try u32(endOffset + 16)
        if (count == 0xFFFF || directoryOffset == 0xFFFF_FFFF), endOffset >= 20,
            try u32(endOffset - 20) == 0x0706_4b50
        {
            let zip64End = try offset(try u64(endOffset - 12))
            guard try u32(zip64End) == 0x0606_4b50 else { throw OrthancError(.badFileFormat, "bad ZIP64 record") }
            // Each directory record takes at least 46 bytes: a larger count cannot be true.
            let declared = try u64(zip64End + 32)
            guard declared <= UInt64(length / 46) else { throw OrthancError(.badFileFormat, "bad ZIP64 record") }
            count = Int(declared)
            directoryOffset = try u64(zip64End + 48)
        }
        var entries: [Entry] = []
        var unpacked = 0
        var cursor = try offset(directoryOffset)
        for _ in 0..<count {
            guard try u32(cursor) == 0x0201_4b50 else { throw OrthancError(.badFileFormat, "bad ZIP directory") }
            let method = try u16(cursor + 10)
            var compressedSize = try u32(cursor + 20)
            var size = try u32(cursor + 24)
            let nameLength = try u16(cursor + 28)
            let extraLength = try u16(cursor + 30)
            let commentLength = try u16(cursor + 32)
            var localOffset = try u32(cursor + 42)
            guard cursor + 46 + nameLength <= length,
                let nameBytes = archive.getBytes(at: start + cursor + 46, length: nameLength)
            else { throw OrthancError(.badFileFormat, "truncated ZIP archive") }
            var extraCursor = cursor + 46 + nameLength
            let extraEnd = extraCursor + extraLength
            while extraCursor + 4 <= extraEnd {
                let id = try u16(extraCursor)
                let dataLength = try u16(extraCursor + 2)
                if id == 0x0001 {
                    var field = extraCursor + 4
                    if size == 0xFFFF_FFFF { size = try u64(field); field += 8 }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try u64(field); field += 8 }
                    if localOffset == 0xFFFF_FFFF { localOffset = try u64(field) }
                }
                extraCursor += 4 + dataLength
            }
            cursor = extraEnd + commentLength
            let name = String(decoding: nameBytes, as: UTF8.self)
            if name.hasSuffix("/") { continue }
            guard cursor <= length else { throw OrthancError(.badFileFormat, "truncated ZIP archive") }
            let local = try offset(localOffset)
            guard try u32(local) == 0x0403_4b50 else { throw OrthancError(.badFileFormat, "bad ZIP entry") }
            let dataStart = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard compressedSize <= UInt64(length), dataStart + Int(compressedSize) <= length else {
                throw OrthancError(.badFileFormat, "truncated ZIP archive")
            }
            let entrySize = method == 0 ? compressedSize : size
            guard entrySize <= UInt64(maximumTotalSize - unpacked) else {
                throw OrthancError(.badFileFormat, "the ZIP archive unpacks beyond the request limit")
            }
            unpacked += Int(entrySize)
            guard var slice = archive.getSlice(at: start + dataStart, length: Int(compressedSize)) else {
                throw OrthancError(.badFileFormat, "truncated ZIP archive")
            }
            switch method {
            case 0:
                entries.append(Entry(name: name, contents: slice))
            case 8:
                // The output is no larger than the declared size: inflating more fails (a ZIP bomb).
                var output = ByteBufferAllocator().buffer(capacity: Int(size))
                do {
                    try slice.decompress(to: &output, with: .deflate())
                } catch {
                    throw OrthancError(.badFileFormat, "a ZIP entry does not inflate")
                }
                entries.append(Entry(name: name, contents: output))
            default:
                throw OrthancError(.badFileFormat, "unsupported ZIP compression method")
            }
        }
        return entries
    }
}
