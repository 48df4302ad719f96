public import NIOCore

extension DICOMFile {
    /// The data set of a Part 10 file as stored bytes, with its transfer syntax, without parsing the data set: what
    /// a DIMSE C-STORE sends of a stored file.
    ///
    /// - Returns: nil when the bytes are not a Part 10 file with a Transfer Syntax UID, or the data set is deflated
    ///   (a bare data set cannot be deflated on the network).
    /// - Throws: ``DICOMError`` for a malformed meta information group.
    public static func dataSetBytes(of file: ByteBuffer) throws -> (
        transferSyntax: TransferSyntax, dataSet: ByteBuffer
    )? {
        var buffer = file
        let origin = buffer.readerIndex
        guard buffer.readableBytes >= 132, buffer.getBytes(at: origin + 128, length: 4) == prefix else { return nil }
        buffer.moveReaderIndex(forwardBy: 132)
        let (meta, _) = try readMetaInformation(&buffer, origin: origin, options: ParseOptions())
        guard let uid = meta[.transferSyntaxUID]?.string(), !uid.isEmpty else { return nil }
        let syntax = TransferSyntax(uid: uid)
        guard !syntax.isDeflated else { return nil }
        return (syntax, buffer)
    }
}
