import Crypto
package import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being received into the storage area piece by piece, before it has a place in the layout: a C-STORE
/// data set too large to hold in memory.
///
/// It lives in the storage area's root under a hidden name (`.spool-<uuid>`), on the filesystem of the files it
/// joins, so that ``StorageArea/adopt(_:)`` only renames it. The MD5 of the bytes is computed as they are
/// written. Every method blocks on the disk: call them off Swift's cooperative threads. A spool file that is
/// neither adopted nor discarded (a crash) is removed when the storage area opens
/// (``StorageArea/removeLeftoverSpoolFiles()``).
package final class SpoolFile: Sendable {
    private struct State {
        var descriptor: Int32
        var hasher = Insecure.MD5()
        var size: Int64 = 0
        var md5: String?
    }

    /// The name prefix of spool files in the storage area's root.
    static let namePrefix = ".spool-"

    /// Where the file is while it is received.
    package let path: String
    private let state: Mutex<State>

    init(path: String, descriptor: Int32) {
        self.path = path
        self.state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { _ = Glibc.close(state.descriptor) }
        }
    }

    /// The number of bytes written so far.
    package var size: Int64 { state.withLock { $0.size } }

    /// Appends `bytes` at the end of the file.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile` (after ``finishWriting()`` too).
    package func write(_ bytes: ByteBuffer) throws {
        try state.withLock { state in
            guard state.descriptor >= 0, state.md5 == nil else {
                throw PersistenceError(.cannotWriteFile, "a spool file written after its end")
            }
            try bytes.withUnsafeReadableBytes { pointer in
                state.hasher.update(bufferPointer: pointer)
                var offset = 0
                while offset < pointer.count {
                    let written = Glibc.write(state.descriptor, pointer.baseAddress! + offset, pointer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw PersistenceError(.cannotWriteFile, "cannot write to the storage area (errno \(errno))")
                    }
                    offset += written
                }
            }
            state.size += Int64(bytes.readableBytes)
        }
    }

    /// Ends writing; returns the size and the lowercase hexadecimal MD5 of everything written.
    package func finishWriting() -> (size: Int64, md5: String) {
        state.withLock { state in
            if state.md5 == nil { state.md5 = StorageArea.hexadecimal(state.hasher.finalize()) }
            return (state.size, state.md5 ?? "")
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer at the end of the file.
    ///
    /// - Throws: `PersistenceError.cannotReadFile`.
    package func read(at offset: Int64, count: Int) throws -> ByteBuffer {
        try state.withLock { state in
            guard state.descriptor >= 0 else {
                throw PersistenceError(.cannotReadFile, "a spool file read after it was closed")
            }
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var position = offset
            while buffer.readableBytes < count {
                let wanted = count - buffer.readableBytes
                let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { pointer in
                    pread(state.descriptor, pointer.baseAddress, wanted, off_t(position))
                }
                if read < 0 {
                    if errno == EINTR { continue }
                    throw PersistenceError(.cannotReadFile, "cannot read a spool file (errno \(errno))")
                }
                if read == 0 { break }
                position += Int64(read)
            }
            return buffer
        }
    }

    /// Closes the descriptor; the file stays where it is.
    func close() {
        state.withLock { state in
            if state.descriptor >= 0 { _ = Glibc.close(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// Closes and removes the file; nothing of it remains.
    package func discard() {
        close()
        unlink(path)
    }
}
