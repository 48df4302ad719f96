import NIOCore

extension DataElement {
    /// Creates a string element from its values, joined with backslashes and padded to even length with the
    /// VR's padding byte (PS3.5 §6.2); SH, LO, ST, LT, UC, UT and PN are encoded with the character set.
    public init(tag: DICOMTag, vr: VR, strings: [String], characterSet: SpecificCharacterSet = .default) {
        let text = strings.joined(separator: "\\")
        var bytes = vr.usesSpecificCharacterSet ? characterSet.encode(text, vr: vr) : Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr.paddingByte) }
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        self.init(tag: tag, vr: vr, value: .bytes(buffer))
    }

    /// Creates an element of unsigned 16-bit numbers (US, OW), little endian.
    public init(tag: DICOMTag, vr: VR = .US, uint16s: [UInt16]) {
        self.init(tag: tag, vr: vr, value: .bytes(Self.littleEndian(uint16s)))
    }

    /// Creates an element of unsigned 32-bit numbers (UL, OL), little endian.
    public init(tag: DICOMTag, vr: VR = .UL, uint32s: [UInt32]) {
        self.init(tag: tag, vr: vr, value: .bytes(Self.littleEndian(uint32s)))
    }

    /// Creates an element of 64-bit floats (FD, OD), little endian.
    public init(tag: DICOMTag, vr: VR = .FD, float64s: [Double]) {
        self.init(tag: tag, vr: vr, value: .bytes(Self.littleEndian(float64s.map(\.bitPattern))))
    }

    /// Creates an element of 32-bit floats (FL, OF), little endian.
    public init(tag: DICOMTag, vr: VR = .FL, float32s: [Float]) {
        self.init(tag: tag, vr: vr, value: .bytes(Self.littleEndian(float32s.map(\.bitPattern))))
    }

    /// Creates a sequence element from its items.
    public init(tag: DICOMTag, items: [DataSet]) {
        self.init(tag: tag, vr: .SQ, value: .sequence(items))
    }

    static func littleEndian<T: FixedWidthInteger>(_ numbers: [T]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: numbers.count * MemoryLayout<T>.size)
        for number in numbers { buffer.writeInteger(number, endianness: .little) }
        return buffer
    }
}
