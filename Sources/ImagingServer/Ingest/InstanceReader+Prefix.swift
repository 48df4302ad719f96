import DICOM
package import NIOCore

extension InstanceReader {
    /// The first prefix read of a large file; it grows fourfold until it holds everything before Pixel Data.
    static let initialPrefixLength = 64 * 1024

    /// Reads what the index needs from a file too large to hold in memory, through `read`, holding only a prefix.
    ///
    /// The prefix grows until the parser, stopping before Pixel Data, reads everything before it and stops at an
    /// element (``DICOMFile/stopOffset``): a prefix that ends between two elements would otherwise pass for a
    /// complete data set. The rest is walked header by header (``DataSetTail``), so a truncated file is refused as
    /// the whole-file parse refuses it. A deflated data set has no offsets to walk: it is read whole.
    ///
    /// - Parameters:
    ///   - size: the size of the file.
    ///   - read: reads up to `count` bytes at an offset; fewer only at the end of the file.
    /// - Throws: ``IngestRejection`` as ``read(_:)`` does.
    package static func read(
        size: Int64, through read: @escaping (_ offset: Int64, _ count: Int) throws -> ByteBuffer
    ) throws(IngestRejection) -> Reading {
        var length = min(size, Int64(initialPrefixLength))
        while true {
            let prefix: ByteBuffer
            do {
                prefix = try read(0, Int(length))
            } catch {
                throw unreadable(size: size, cause: nil)
            }
            let isWhole = length >= size
            let file: DICOMFile
            do {
                file = try DICOMFile(reading: prefix, options: ParseOptions(stopBeforePixelData: true))
            } catch {
                guard isWhole else {
                    length = min(size, length * 4)
                    continue
                }
                throw unreadable(size: size, cause: error as? DICOMError)
            }
            guard let stop = file.stopOffset else {
                if !isWhole {
                    length = min(size, length * 4)
                    continue
                }
                // No Pixel Data, or a deflated data set: the whole file is in memory, parsed whole.
                return try Self.read(prefix)
            }
            let tail = DataSetTail(
                explicitVR: file.dataSetIsExplicitVR, bigEndian: !file.transferSyntax.isLittleEndian, size: size,
                read: read)
            let pixelData: DataSetTail.PixelData?
            do {
                pixelData = try tail.walk(from: Int64(stop))
            } catch {
                throw unreadable(size: size, cause: error as? DICOMError)
            }
            return try reading(of: file, pixelDataOffset: pixelData?.valueOffset, pixelDataVR: pixelData?.vr)
        }
    }

    private static func unreadable(size: Int64, cause: DICOMError?) -> IngestRejection {
        IngestRejection(
            .unreadableFile, OrthancError(.badFileFormat, "Cannot parse an invalid DICOM file (size: \(size) bytes)"),
            cause: cause)
    }
}
