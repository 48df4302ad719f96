package import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file of the storage area, read piece by piece: large files are streamed to clients without being
/// held in memory whole.
///
/// Not thread-safe: one reader serves one response. The descriptor is closed by ``close()`` or on deinit.
package final class StoredFileReader {
    private var descriptor: Int32
    /// The size of the file on disk, in bytes.
    package let size: Int64

    init(descriptor: Int32, size: Int64) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close() }

    /// Reads up to `maximumCount` bytes from the current position; an empty buffer means the end of the file.
    /// - Throws: `PersistenceError.cannotReadFile`.
    package func read(maximumCount: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: maximumCount)
        while true {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maximumCount) { pointer in
                Glibc.read(descriptor, pointer.baseAddress, maximumCount)
            }
            if count >= 0 { return buffer }
            if errno != EINTR {
                throw PersistenceError(.cannotReadFile, "cannot read a stored file (errno \(errno))")
            }
        }
    }

    /// Closes the file; later reads fail.
    package func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }
}
