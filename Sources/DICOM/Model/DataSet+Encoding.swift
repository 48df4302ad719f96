public import NIOCore

extension DataSet {
    /// Reads a bare data set (no preamble, no file meta information) encoded in `transferSyntax`, as DIMSE
    /// messages carry them.
    ///
    /// - Throws: ``DICOMError`` for malformed bytes, or `unsupportedTransferSyntax` for a deflated syntax (the
    ///   network carries deflated data sets only inside files).
    public init(decoding bytes: ByteBuffer, transferSyntax: TransferSyntax, options: ParseOptions = ParseOptions())
        throws
    {
        guard !transferSyntax.isDeflated else {
            throw DICOMError(.unsupportedTransferSyntax, "a bare data set cannot be deflated here")
        }
        var buffer = bytes
        let parser = DataSetParser(
            explicitVR: transferSyntax.isExplicitVR, bigEndian: !transferSyntax.isLittleEndian, options: options,
            originIndex: buffer.readerIndex)
        self = try parser.parseDataSet(&buffer, characterSet: .default)
    }

    /// Encodes the data set alone in `transferSyntax` (explicit or implicit VR, either byte order).
    ///
    /// - Throws: ``DICOMError`` when a value cannot be encoded, or `unsupportedTransferSyntax` for a deflated one.
    public func encoded(in transferSyntax: TransferSyntax) throws -> ByteBuffer {
        guard !transferSyntax.isDeflated else {
            throw DICOMError(.unsupportedTransferSyntax, "a bare data set cannot be deflated here")
        }
        var buffer = ByteBufferAllocator().buffer(capacity: 512)
        try DataSetWriter(explicitVR: transferSyntax.isExplicitVR, bigEndian: !transferSyntax.isLittleEndian)
            .write(self, to: &buffer)
        return buffer
    }
}
