import DICOM
import NIOCore

/// Builds encoded data sets byte by byte for parser tests.
struct EncodedBytes {
    var bytes: [UInt8] = []
    var bigEndian = false

    mutating func u16(_ value: UInt16) {
        bytes += bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    mutating func u32(_ value: UInt32) {
        if bigEndian {
            u16(UInt16(value >> 16)); u16(UInt16(value & 0xFFFF))
        } else {
            u16(UInt16(value & 0xFFFF)); u16(UInt16(value >> 16))
        }
    }

    mutating func tag(_ group: UInt16, _ element: UInt16) {
        u16(group); u16(element)
    }

    /// An explicit VR element with a short (16-bit) or long (32-bit) length, as the VR requires.
    mutating func explicit(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8], length: UInt32? = nil) {
        tag(group, element)
        bytes += Array(vr.utf8)
        if ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"].contains(vr) {
            u16(0); u32(length ?? UInt32(value.count))
        } else {
            u16(UInt16(length ?? UInt32(value.count)))
        }
        bytes += value
    }

    mutating func implicit(_ group: UInt16, _ element: UInt16, _ value: [UInt8], length: UInt32? = nil) {
        tag(group, element)
        u32(length ?? UInt32(value.count))
        bytes += value
    }

    mutating func item(length: UInt32 = 0xFFFF_FFFF) { tag(0xFFFE, 0xE000); u32(length) }
    mutating func itemEnd() { tag(0xFFFE, 0xE00D); u32(0) }
    mutating func sequenceEnd() { tag(0xFFFE, 0xE0DD); u32(0) }

    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// Where `part10(transferSyntax:dataSet:)` puts the data set: after the preamble, `DICM` and a meta
    /// group of three elements (12 + 14 + 8 + the padded UID).
    static func dataSetOffset(transferSyntax: String) -> Int {
        132 + 12 + 14 + 8 + (transferSyntax.utf8.count + 1) / 2 * 2
    }

    /// A Part 10 file: preamble, DICM, a meta group naming the transfer syntax, then `dataSet`.
    static func part10(transferSyntax: String, dataSet: [UInt8]) -> ByteBuffer {
        var meta = EncodedBytes()
        var uid = Array(transferSyntax.utf8)
        if uid.count % 2 == 1 { uid.append(0) }
        var body = EncodedBytes()
        body.explicit(0x0002, 0x0001, "OB", [0, 1])
        body.explicit(0x0002, 0x0010, "UI", uid)
        meta.explicit(0x0002, 0x0000, "UL", [UInt8(body.bytes.count), 0, 0, 0])
        return ByteBuffer(
            bytes: [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + meta.bytes + body.bytes + dataSet)
    }
}
