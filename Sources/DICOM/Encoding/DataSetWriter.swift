import NIOCore

/// Encodes data elements in one encoding (PS3.5 §7): VR explicit or implicit, little or big endian.
///
/// Lengths are written as the elements record them (defined or undefined), so an unchanged data set encodes
/// to the bytes it was read from. Values read in the other byte order are swapped by their VR's unit size.
struct DataSetWriter {
    /// True for explicit VR encodings.
    let explicitVR: Bool
    /// True for big-endian encodings.
    let bigEndian: Bool

    private var endianness: Endianness { bigEndian ? .big : .little }

    /// Appends every element of a data set.
    func write(_ dataSet: DataSet, to buffer: inout ByteBuffer) throws {
        for element in dataSet.elements {
            try write(element, to: &buffer)
        }
    }

    /// Appends one element: header, then value.
    func write(_ element: DataElement, to buffer: inout ByteBuffer) throws {
        switch element.value {
        case .bytes(let value):
            var vr = element.vr
            if explicitVR && !vr.hasLongExplicitLength && value.readableBytes > 0xFFFF {
                vr = .UN  // too long for a 16-bit length: PS3.5 §6.2.2 Note 4
            }
            writeHeader(tag: element.tag, vr: vr, length: UInt32(truncatingIfNeeded: value.readableBytes), to: &buffer)
            if element.isBigEndian != bigEndian && vr.byteSwapUnit > 1 {
                writeSwapped(value, unit: vr.byteSwapUnit, to: &buffer)
            } else {
                buffer.writeImmutableBuffer(value)
            }

        case .sequence(let items):
            // An undefined-length UN holds its items in Implicit VR Little Endian (PS3.5 §6.2.2).
            let unknownSequence = element.vr == .UN && explicitVR
            let vr: VR = unknownSequence ? .UN : .SQ
            let itemWriter = unknownSequence ? DataSetWriter(explicitVR: false, bigEndian: false) : self
            if element.hasUndefinedLength || unknownSequence {
                writeHeader(tag: element.tag, vr: vr, length: 0xFFFF_FFFF, to: &buffer)
                for item in items { try itemWriter.writeItem(item, to: &buffer) }
                writeDelimiter(.sequenceDelimitationItem, to: &buffer)
            } else {
                writeHeader(tag: element.tag, vr: vr, length: 0, to: &buffer)
                let lengthIndex = buffer.writerIndex - 4
                let start = buffer.writerIndex
                for item in items { try itemWriter.writeItem(item, to: &buffer) }
                try patchLength(at: lengthIndex, length: buffer.writerIndex - start, in: &buffer, tag: element.tag)
            }

        case .fragments(let fragments):
            writeHeader(tag: element.tag, vr: element.vr == .OW ? .OW : .OB, length: 0xFFFF_FFFF, to: &buffer)
            for fragment in fragments {
                writeTag(.item, to: &buffer)
                buffer.writeInteger(UInt32(truncatingIfNeeded: fragment.readableBytes), endianness: endianness)
                buffer.writeImmutableBuffer(fragment)
            }
            writeDelimiter(.sequenceDelimitationItem, to: &buffer)
        }
    }

    /// Appends an item of a sequence, with its recorded length form (PS3.5 §7.5.1).
    private func writeItem(_ item: DataSet, to buffer: inout ByteBuffer) throws {
        writeTag(.item, to: &buffer)
        if item.hasUndefinedLength {
            buffer.writeInteger(UInt32(0xFFFF_FFFF), endianness: endianness)
            try write(item, to: &buffer)
            writeDelimiter(.itemDelimitationItem, to: &buffer)
        } else {
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(UInt32(0), endianness: endianness)
            let start = buffer.writerIndex
            try write(item, to: &buffer)
            try patchLength(at: lengthIndex, length: buffer.writerIndex - start, in: &buffer, tag: .item)
        }
    }

    private func writeHeader(tag: DICOMTag, vr: VR, length: UInt32, to buffer: inout ByteBuffer) {
        writeTag(tag, to: &buffer)
        if explicitVR {
            let (byte0, byte1) = vr.bytes
            buffer.writeMultipleIntegers(byte0, byte1)
            if vr.hasLongExplicitLength {
                buffer.writeInteger(UInt16(0), endianness: endianness)
                buffer.writeInteger(length, endianness: endianness)
            } else {
                buffer.writeInteger(UInt16(truncatingIfNeeded: length), endianness: endianness)
            }
        } else {
            buffer.writeInteger(length, endianness: endianness)
        }
    }

    private func writeTag(_ tag: DICOMTag, to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(tag.group, tag.element, endianness: endianness)
    }

    private func writeDelimiter(_ tag: DICOMTag, to buffer: inout ByteBuffer) {
        writeTag(tag, to: &buffer)
        buffer.writeInteger(UInt32(0), endianness: endianness)
    }

    private func patchLength(at index: Int, length: Int, in buffer: inout ByteBuffer, tag: DICOMTag) throws {
        guard length < 0xFFFF_FFFF else {
            throw DICOMError(.invalidLength, "a sequence or item is too long for a defined length", tag: tag)
        }
        buffer.setInteger(UInt32(length), at: index, endianness: endianness)
    }

    /// Copies a value reversing the bytes of each `unit`-sized number.
    private func writeSwapped(_ value: ByteBuffer, unit: Int, to buffer: inout ByteBuffer) {
        let count = value.readableBytes
        buffer.reserveCapacity(minimumWritableBytes: count)
        _ = value.withUnsafeReadableBytes { source in
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { target in
                var offset = 0
                while offset + unit <= count {
                    for byte in 0..<unit { target[offset + byte] = source[offset + unit - 1 - byte] }
                    offset += unit
                }
                while offset < count {  // a trailing partial number is copied as it is
                    target[offset] = source[offset]
                    offset += 1
                }
                return count
            }
        }
    }
}
