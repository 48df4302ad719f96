package import NIOCore

/// Writes a ZIP archive entry by entry (PKWARE APPNOTE 6.3), for streaming to a client.
///
/// Entries are stored without compression, as DICOM files are mostly pixel data. Only the entry being written is
/// in memory. ZIP64 records (APPNOTE §4.3.14, §4.5.3) are written when the archive passes 4 GiB or 65,535
/// entries, so a study of any size can be archived.
package struct ZipArchiveWriter: Sendable {
    private struct CentralEntry {
        let name: [UInt8]
        let crc: UInt32
        let size: UInt64
        let offset: UInt64
    }

    private var entries: [CentralEntry] = []
    private var offset: UInt64 = 0

    package init() {}

    /// The bytes of one entry: its local header and its data.
    package mutating func entry(named name: String, contents: ByteBuffer) -> ByteBuffer {
        let nameBytes = Array(name.utf8)
        let crc = contents.withUnsafeReadableBytes { bytes in
            var crc = CRC32()
            crc.update(bytes)
            return crc.value
        }
        let size = UInt64(contents.readableBytes)
        let needsZip64 = size >= 0xFFFF_FFFF
        var output = ByteBufferAllocator().buffer(capacity: 30 + nameBytes.count + 20 + contents.readableBytes)
        output.writeInteger(UInt32(0x0403_4b50), endianness: .little)
        output.writeInteger(UInt16(needsZip64 ? 45 : 20), endianness: .little)  // version needed
        output.writeInteger(UInt16(0x0800), endianness: .little)  // flags: UTF-8 names
        output.writeInteger(UInt16(0), endianness: .little)  // stored
        output.writeInteger(UInt16(0), endianness: .little)  // time
        output.writeInteger(UInt16(0x21), endianness: .little)  // date: 1980-01-01
        output.writeInteger(crc, endianness: .little)
        output.writeInteger(needsZip64 ? UInt32.max : UInt32(size), endianness: .little)
        output.writeInteger(needsZip64 ? UInt32.max : UInt32(size), endianness: .little)
        output.writeInteger(UInt16(nameBytes.count), endianness: .little)
        output.writeInteger(UInt16(needsZip64 ? 20 : 0), endianness: .little)
        output.writeBytes(nameBytes)
        if needsZip64 {
            output.writeInteger(UInt16(0x0001), endianness: .little)
            output.writeInteger(UInt16(16), endianness: .little)
            output.writeInteger(size, endianness: .little)
            output.writeInteger(size, endianness: .little)
        }
        var data = contents
        output.writeBuffer(&data)
        entries.append(CentralEntry(name: nameBytes, crc: crc, size: size, offset: offset))
        offset += UInt64(output.readableBytes)
        return output
    }

    /// The central directory and end records that close the archive.
    package func finish() -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: entries.count * 80 + 120)
        let directoryStart = offset
        for entry in entries {
            let zip64Size = entry.size >= 0xFFFF_FFFF
            let zip64Offset = entry.offset >= 0xFFFF_FFFF
            var extra: [UInt64] = []
            if zip64Size { extra += [entry.size, entry.size] }
            if zip64Offset { extra.append(entry.offset) }
            output.writeInteger(UInt32(0x0201_4b50), endianness: .little)
            output.writeInteger(UInt16(extra.isEmpty ? 20 : 45), endianness: .little)  // made by
            output.writeInteger(UInt16(extra.isEmpty ? 20 : 45), endianness: .little)  // needed
            output.writeInteger(UInt16(0x0800), endianness: .little)
            output.writeInteger(UInt16(0), endianness: .little)
            output.writeInteger(UInt16(0), endianness: .little)
            output.writeInteger(UInt16(0x21), endianness: .little)
            output.writeInteger(entry.crc, endianness: .little)
            output.writeInteger(zip64Size ? UInt32.max : UInt32(entry.size), endianness: .little)
            output.writeInteger(zip64Size ? UInt32.max : UInt32(entry.size), endianness: .little)
            output.writeInteger(UInt16(entry.name.count), endianness: .little)
            output.writeInteger(UInt16(extra.isEmpty ? 0 : 4 + 8 * extra.count), endianness: .little)
            output.writeInteger(UInt16(0), endianness: .little)  // comment
            output.writeInteger(UInt16(0), endianness: .little)  // disk
            output.writeInteger(UInt16(0), endianness: .little)  // internal attributes
            output.writeInteger(UInt32(0), endianness: .little)  // external attributes
            output.writeInteger(zip64Offset ? UInt32.max : UInt32(entry.offset), endianness: .little)
            output.writeBytes(entry.name)
            if !extra.isEmpty {
                output.writeInteger(UInt16(0x0001), endianness: .little)
                output.writeInteger(UInt16(8 * extra.count), endianness: .little)
                for value in extra { output.writeInteger(value, endianness: .little) }
            }
        }
        let directorySize = UInt64(output.readableBytes)
        let needsZip64 = entries.count >= 0xFFFF || directoryStart >= 0xFFFF_FFFF || directorySize >= 0xFFFF_FFFF
        if needsZip64 {
            let zip64EndOffset = directoryStart + directorySize
            output.writeInteger(UInt32(0x0606_4b50), endianness: .little)
            output.writeInteger(UInt64(44), endianness: .little)
            output.writeInteger(UInt16(45), endianness: .little)
            output.writeInteger(UInt16(45), endianness: .little)
            output.writeInteger(UInt32(0), endianness: .little)
            output.writeInteger(UInt32(0), endianness: .little)
            output.writeInteger(UInt64(entries.count), endianness: .little)
            output.writeInteger(UInt64(entries.count), endianness: .little)
            output.writeInteger(directorySize, endianness: .little)
            output.writeInteger(directoryStart, endianness: .little)
            output.writeInteger(UInt32(0x0706_4b50), endianness: .little)
            output.writeInteger(UInt32(0), endianness: .little)
            output.writeInteger(zip64EndOffset, endianness: .little)
            output.writeInteger(UInt32(1), endianness: .little)
        }
        output.writeInteger(UInt32(0x0605_4b50), endianness: .little)
        output.writeInteger(UInt16(0), endianness: .little)
        output.writeInteger(UInt16(0), endianness: .little)
        let count = UInt16(min(entries.count, 0xFFFF))
        output.writeInteger(count, endianness: .little)
        output.writeInteger(count, endianness: .little)
        output.writeInteger(UInt32(min(directorySize, 0xFFFF_FFFF)), endianness: .little)
        output.writeInteger(UInt32(min(directoryStart, 0xFFFF_FFFF)), endianness: .little)
        output.writeInteger(UInt16(0), endianness: .little)
        return output
    }
}
