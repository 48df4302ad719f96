/// How a file of the storage area is encoded on disk, with Orthanc's numbers (`CompressionType`).
package enum StorageCompression: Int, Sendable {
    /// Stored as is (Orthanc's `CompressionType_None`, 1).
    case none = 1
    /// An 8-byte little-endian uncompressed size, then a zlib stream (Orthanc's `ZlibWithSize`, 2).
    case zlibWithSize = 2
}

/// What the storage area knows of a file it wrote: the attachment record of the index.
package struct StoredFile: Sendable, Equatable {
    /// The random UUID v4 that names the file (`aa/bb/aabb…`).
    package let uuid: String
    /// How the bytes are encoded on disk.
    package let compression: StorageCompression
    /// The size of the original bytes.
    package let uncompressedSize: Int64
    /// The size on disk.
    package let compressedSize: Int64
    /// Lowercase hexadecimal MD5 of the original bytes.
    package let uncompressedMD5: String
    /// Lowercase hexadecimal MD5 of the bytes on disk.
    package let compressedMD5: String

    package init(
        uuid: String, compression: StorageCompression, uncompressedSize: Int64, compressedSize: Int64,
        uncompressedMD5: String, compressedMD5: String
    ) {
        self.uuid = uuid
        self.compression = compression
        self.uncompressedSize = uncompressedSize
        self.compressedSize = compressedSize
        self.uncompressedMD5 = uncompressedMD5
        self.compressedMD5 = compressedMD5
    }
}
