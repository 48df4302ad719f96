import NIOCore

/// A read position in a `ByteBuffer`, with the buffer's bytes at hand for reading fixed-size fields.
///
/// Indexes are the buffer's own (absolute, like `readerIndex`). Reads return `nil` outside the readable bytes, so
/// a caller that forgot a length check reads nothing rather than out of bounds; values are cut from the buffer
/// itself, as slices that share its storage.
struct ByteCursor {
    /// The buffer being read.
    let source: ByteBuffer
    /// Its readable bytes, which start at `source.readerIndex`.
    private let bytes: UnsafeRawBufferPointer
    /// The buffer index of `bytes[0]`.
    private let base: Int
    /// The next index to read.
    var position: Int

    /// A cursor at the reader index of `source`, whose readable bytes are `bytes`.
    init(source: ByteBuffer, bytes: UnsafeRawBufferPointer) {
        self.source = source
        self.bytes = bytes
        self.base = source.readerIndex
        self.position = source.readerIndex
    }

    @inline(__always)
    private func offset(_ index: Int, size: Int) -> Int? {
        let offset = index &- base
        guard offset >= 0, offset <= bytes.count &- size else { return nil }
        return offset
    }

    /// The byte at a buffer index.
    @inline(__always)
    func byte(at index: Int) -> UInt8? {
        guard let offset = offset(index, size: 1) else { return nil }
        return bytes[offset]
    }

    /// The 16-bit integer at a buffer index, in the given byte order.
    @inline(__always)
    func uint16(at index: Int, bigEndian: Bool) -> UInt16? {
        guard let offset = offset(index, size: 2) else { return nil }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: value) : UInt16(littleEndian: value)
    }

    /// The 32-bit integer at a buffer index, in the given byte order.
    @inline(__always)
    func uint32(at index: Int, bigEndian: Bool) -> UInt32? {
        guard let offset = offset(index, size: 4) else { return nil }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }

    /// The next `length` bytes as a slice of the buffer, moving past them; the caller has checked that they are
    /// there, and an impossible request gives an empty slice.
    mutating func readSlice(length: Int) -> ByteBuffer {
        guard let slice = source.getSlice(at: position, length: length) else { return ByteBuffer() }
        position += length
        return slice
    }
}
