extension DICOMFile {
    /// Reads a DICOM file from disk, touching only the bytes the parse needs (see ``FileContents``): stopping
    /// before Pixel Data, a large file's pixels are never read.
    ///
    /// - Parameters:
    ///   - path: the file's path.
    ///   - options: where to stop and the limits to enforce.
    ///   - mapping: whether a large file may be mapped rather than read; pass `false` for a file that another
    ///     program may truncate while the data set is in use.
    /// - Throws: ``DICOMError``: ``DICOMError/Code/unreadableFile`` when the file cannot be read, otherwise the
    ///   parse's error.
    public init(contentsOfFile path: String, options: ParseOptions = ParseOptions(), mapping: Bool = true) throws {
        try self.init(reading: FileContents.read(path: path, mapping: mapping), options: options)
    }
}
