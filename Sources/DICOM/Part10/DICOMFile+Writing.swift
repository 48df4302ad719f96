import CompressNIO
public import NIOCore

extension DICOMFile {
    /// The implementation class UID Atrium writes in file meta information (PS3.7 §D.3.3.2), under the
    /// 2.25 root of UUID-derived UIDs (PS3.5 §B.2).
    public static let implementationClassUID = "2.25.198915975590262277883219345438682858541"
    /// The implementation version name Atrium writes in file meta information (at most 16 characters).
    public static let implementationVersionName = "ATRIUM_1"

    /// Encodes the file.
    ///
    /// Without a transfer syntax, the file is written as it was read: the same preamble, meta information and
    /// lengths, so an unchanged file gives back its bytes (a deflated data set is deflated anew). With one,
    /// the file meta information is rebuilt (``rebuildMetaInformation(transferSyntax:)``) and the data set is
    /// transcoded; only the native syntaxes can be transcoded between.
    ///
    /// - Throws: ``DICOMError/Code/unsupportedTransferSyntax`` when encapsulated pixel data would have to be
    ///   decoded or encoded.
    public func write(transferSyntax target: TransferSyntax? = nil) throws -> ByteBuffer {
        var file = self
        if let target {
            guard target == transferSyntax || (!target.isEncapsulated && !transferSyntax.isEncapsulated) else {
                throw DICOMError(
                    .unsupportedTransferSyntax,
                    "transcoding between \(transferSyntax.uid) and \(target.uid) needs a pixel data codec")
            }
            file.rebuildMetaInformation(transferSyntax: target)
        }
        return try file.encoded()
    }

    private func encoded() throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 4096)
        if hasPart10Prefix {
            if let preamble {
                buffer.writeImmutableBuffer(preamble)
            } else {
                buffer.writeRepeatingByte(0, count: 128)
            }
            buffer.writeBytes(Self.prefix)
        }
        if !metaInformation.isEmpty {
            let metaWriter = DataSetWriter(explicitVR: !metaInformationIsImplicitVR, bigEndian: false)
            try metaWriter.write(metaInformation, to: &buffer)
        }
        let writer = DataSetWriter(explicitVR: dataSetIsExplicitVR, bigEndian: !transferSyntax.isLittleEndian)
        if transferSyntax.isDeflated {
            var plain = ByteBufferAllocator().buffer(capacity: 4096)
            try writer.write(dataSet, to: &plain)
            do {
                var deflated = try plain.compress(with: .deflate())
                buffer.writeBuffer(&deflated)
            } catch {
                throw DICOMError(.deflate, "the data set cannot be deflated (\(error))")
            }
        } else {
            try writer.write(dataSet, to: &buffer)
        }
        return buffer
    }

    /// Rebuilds the file meta information for a transfer syntax (PS3.10 §7.1): version, SOP class and
    /// instance from the data set, the transfer syntax, Atrium's implementation UID and version name, and a
    /// recomputed group length; other meta elements (e.g. Source Application Entity Title) are kept.
    public mutating func rebuildMetaInformation(transferSyntax target: TransferSyntax) {
        var meta = metaInformation
        meta.remove(.fileMetaInformationGroupLength)
        if !meta.contains(.fileMetaInformationVersion) {
            var version = ByteBuffer()
            version.writeBytes([0x00, 0x01])
            meta.set(DataElement(tag: .fileMetaInformationVersion, vr: .OB, value: .bytes(version)))
        }
        if let sopClass = dataSet[.sopClassUID]?.string() {
            meta.set(DataElement(tag: .mediaStorageSOPClassUID, vr: .UI, strings: [sopClass]))
        }
        if let sopInstance = dataSet[.sopInstanceUID]?.string() {
            meta.set(DataElement(tag: .mediaStorageSOPInstanceUID, vr: .UI, strings: [sopInstance]))
        }
        meta.set(DataElement(tag: .transferSyntaxUID, vr: .UI, strings: [target.uid]))
        meta.set(DataElement(tag: .implementationClassUID, vr: .UI, strings: [Self.implementationClassUID]))
        meta.set(DataElement(tag: .implementationVersionName, vr: .SH, strings: [Self.implementationVersionName]))
        var probe = ByteBuffer()
        // Encoding the elements is the exact way to measure the group length.
        try? DataSetWriter(explicitVR: true, bigEndian: false).write(meta, to: &probe)
        meta.set(DataElement(tag: .fileMetaInformationGroupLength, vr: .UL, uint32s: [UInt32(probe.readableBytes)]))
        metaInformation = meta
        metaInformationIsImplicitVR = false
        hasPart10Prefix = true
        transferSyntax = target
        dataSetIsExplicitVR = target.isExplicitVR
    }
}
