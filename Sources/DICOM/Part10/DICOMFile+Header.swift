public import NIOCore

extension DICOMFile {
    /// The beginning of a Part 10 file whose data set arrives already encoded, as over the network: the
    /// 128-byte preamble, `DICM`, and the file meta information (PS3.10 §7.1) naming the SOP class and instance,
    /// the transfer syntax of the data set, Atrium's implementation UID and version name and, when known, the AE
    /// title of the sender.
    ///
    /// Appending the data set's bytes unchanged gives a complete file, byte for byte what the sender encoded.
    public static func part10Header(
        sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
        sourceApplicationEntityTitle: String? = nil
    ) -> ByteBuffer {
        var meta = DataSet()
        var version = ByteBuffer()
        version.writeBytes([0x00, 0x01])
        meta.set(DataElement(tag: .fileMetaInformationVersion, vr: .OB, value: .bytes(version)))
        meta.set(DataElement(tag: .mediaStorageSOPClassUID, vr: .UI, strings: [sopClassUID]))
        meta.set(DataElement(tag: .mediaStorageSOPInstanceUID, vr: .UI, strings: [sopInstanceUID]))
        meta.set(DataElement(tag: .transferSyntaxUID, vr: .UI, strings: [transferSyntaxUID]))
        meta.set(DataElement(tag: .implementationClassUID, vr: .UI, strings: [implementationClassUID]))
        meta.set(DataElement(tag: .implementationVersionName, vr: .SH, strings: [implementationVersionName]))
        if let title = sourceApplicationEntityTitle, !title.isEmpty {
            meta.set(DataElement(tag: DICOMTag(0x0002, 0x0016), vr: .AE, strings: [title]))
        }
        let writer = DataSetWriter(explicitVR: true, bigEndian: false)
        var elements = ByteBuffer()
        // The meta elements are plain strings and bytes: encoding them cannot fail.
        try? writer.write(meta, to: &elements)
        var header = ByteBufferAllocator().buffer(capacity: 132 + 12 + elements.readableBytes)
        header.writeRepeatingByte(0, count: 128)
        header.writeBytes(prefix)
        // (0002,0000) UL, explicit VR little endian: tag, "UL", 16-bit length 4, the group's length.
        header.writeMultipleIntegers(
            UInt16(0x0002), UInt16(0x0000), UInt8(ascii: "U"), UInt8(ascii: "L"), UInt16(4),
            UInt32(elements.readableBytes), endianness: .little)
        header.writeBuffer(&elements)
        return header
    }
}
