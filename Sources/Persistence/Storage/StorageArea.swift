import CompressNIO
import Crypto
import Foundation
package import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The storage area: attachment files under one folder, in Orthanc's layout.
///
/// Each file is named by a random UUID v4 and lives at `root/uu/uu/uuid` (the first two pairs of characters as
/// shard folders), as Orthanc's filesystem storage does. A write goes to a temporary file in the shard folder,
/// is synced, renamed into place and the folder synced, so a file is either absent or complete and durable.
/// With compression the file holds Orthanc's `ZlibWithSize` format: the uncompressed size as 8 little-endian
/// bytes, then a zlib stream.
///
/// An optional ``StorageCache`` keeps the original bytes of recently read files in memory (Orthanc's
/// `MaximumStorageCacheSize`). Only `read(uuid:compression:)` uses it; `readRaw(uuid:)` and
/// `openForReading(uuid:)` always read the disk. A stored file never changes, since each write creates a file
/// under a new UUID, so `remove(uuid:)` is the only invalidation the cache needs.
package struct StorageArea: Sendable {
    /// The folder that holds the shard folders.
    package let root: String
    /// Whether new files are compressed (Orthanc's `StorageCompression`).
    package let compressesNewFiles: Bool
    /// Whether each write is synced to disk before it returns (Orthanc's `SyncStorageArea`).
    package let syncsWrites: Bool
    /// The in-memory cache of read files (Orthanc's `MaximumStorageCacheSize`), or `nil` for none.
    package let cache: StorageCache?

    /// Describes the storage area under `root`.
    ///
    /// - Parameters:
    ///   - root: the folder that holds the shard folders.
    ///   - compressesNewFiles: whether new files are compressed (Orthanc's `StorageCompression`).
    ///   - syncsWrites: whether each write is synced before it returns (Orthanc's `SyncStorageArea`).
    ///   - cache: where `read(uuid:compression:)` keeps the files it reads, or `nil` to read the disk each time.
    package init(
        root: String, compressesNewFiles: Bool = false, syncsWrites: Bool = true, cache: StorageCache? = nil
    ) {
        self.root = root
        self.compressesNewFiles = compressesNewFiles
        self.syncsWrites = syncsWrites
        self.cache = cache
    }

    /// The path of the file named `uuid`.
    package func path(of uuid: String) -> String {
        let characters = Array(uuid)
        guard characters.count >= 4 else { return root + "/" + uuid }
        return root + "/" + String(characters[0..<2]) + "/" + String(characters[2..<4]) + "/" + uuid
    }

    /// Writes `bytes` as a new file, durably, and describes it.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile` if any step fails; nothing is left behind then.
    package func store(_ bytes: ByteBuffer) throws -> StoredFile {
        try store(bytes, compressed: compressesNewFiles)
    }

    /// Writes `bytes` as a new file, durably, compressed in Orthanc's `ZlibWithSize` format or not.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile` if any step fails; nothing is left behind then.
    package func store(_ bytes: ByteBuffer, compressed: Bool) throws -> StoredFile {
        try store(bytes, compressed: compressed, syncing: syncsWrites)
    }

    /// Writes `bytes` as a new, complete file that is not yet durable: the caller makes it durable with others
    /// through a ``DurabilityBatcher`` before relying on it.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile` if any step fails; nothing is left behind then.
    package func storeWithoutSync(_ bytes: ByteBuffer, compressed: Bool) throws -> StoredFile {
        try store(bytes, compressed: compressed, syncing: false)
    }

    private func store(_ bytes: ByteBuffer, compressed: Bool, syncing: Bool) throws -> StoredFile {
        let uuid = UUID().uuidString.lowercased()
        let uncompressedMD5 = Self.md5(bytes)
        var onDisk = bytes
        var compression = StorageCompression.none
        if compressed {
            onDisk = try Self.compress(bytes)
            compression = .zlibWithSize
        }
        let compressedMD5 = compression == .none ? uncompressedMD5 : Self.md5(onDisk)
        try write(onDisk, to: uuid, syncing: syncing)
        return StoredFile(
            uuid: uuid, compression: compression, uncompressedSize: Int64(bytes.readableBytes),
            compressedSize: Int64(onDisk.readableBytes), uncompressedMD5: uncompressedMD5,
            compressedMD5: compressedMD5)
    }

    /// Reads a file and returns its original bytes, from the cache when it holds them.
    ///
    /// A file read from the disk is decompressed, then cached. A read that races with `remove(uuid:)` may cache
    /// the bytes of the removed file again; nothing asks for that UUID afterwards (UUIDs are never reused), so
    /// they only take room until they are evicted.
    ///
    /// - Throws: `inexistentFile`, `cannotReadFile` or `corruptedFile`.
    package func read(uuid: String, compression: StorageCompression) throws -> ByteBuffer {
        if let cached = cache?.get(uuid: uuid) { return cached }
        return try readFromDisk(uuid: uuid, compression: compression)
    }

    /// Reads a file from the disk, decompressed, and caches it: for a caller that has just missed the cache.
    ///
    /// - Throws: `inexistentFile`, `cannotReadFile` or `corruptedFile`.
    package func readFromDisk(uuid: String, compression: StorageCompression) throws -> ByteBuffer {
        let raw = try readRaw(uuid: uuid)
        let bytes: ByteBuffer
        switch compression {
        case .none: bytes = raw
        case .zlibWithSize: bytes = try Self.decompress(raw)
        }
        cache?.insert(uuid: uuid, bytes: bytes)
        return bytes
    }

    /// Opens a file for reading piece by piece, as it is on disk, without the cache.
    ///
    /// - Throws: `inexistentFile` or `cannotReadFile`.
    package func openForReading(uuid: String) throws -> StoredFileReader {
        let (descriptor, size) = try openDescriptor(uuid: uuid)
        return StoredFileReader(descriptor: descriptor, size: Int64(size))
    }

    private func openDescriptor(uuid: String) throws -> (Int32, Int) {
        let descriptor = open(path(of: uuid), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno == ENOENT ? PersistenceError.Code.inexistentFile : .cannotReadFile
            throw PersistenceError(code, "cannot open a stored file (errno \(errno))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw PersistenceError(.cannotReadFile, "cannot stat a stored file (errno \(errno))")
        }
        return (descriptor, Int(status.st_size))
    }

    /// Reads a file as it is on disk (compressed or not), without the cache.
    ///
    /// - Throws: `inexistentFile` or `cannotReadFile`.
    package func readRaw(uuid: String) throws -> ByteBuffer {
        let (descriptor, size) = try openDescriptor(uuid: uuid)
        defer { close(descriptor) }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        var remaining = size
        while remaining > 0 {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: remaining) { pointer in
                Glibc.read(descriptor, pointer.baseAddress, remaining)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw PersistenceError(.cannotReadFile, "cannot read a stored file (errno \(errno))")
            }
            if count == 0 { break }
            remaining -= count
        }
        return buffer
    }

    /// Removes a file and drops it from the cache; a missing file is not an error.
    package func remove(uuid: String) {
        unlink(path(of: uuid))
        cache?.remove(uuid: uuid)
    }

    // MARK: - Writing

    private func write(_ bytes: ByteBuffer, to uuid: String, syncing: Bool) throws {
        let finalPath = path(of: uuid)
        let folder = String(finalPath[..<(finalPath.lastIndex(of: "/") ?? finalPath.endIndex)])
        let createdFolders = try makeShardFolders(folder)
        let temporaryPath = folder + "/." + uuid + ".tmp"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PersistenceError(.cannotWriteFile, "cannot create a file in the storage area (errno \(errno))")
        }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporaryPath) }
        }
        do {
            defer { close(descriptor) }
            try bytes.withUnsafeReadableBytes { pointer in
                var offset = 0
                while offset < pointer.count {
                    let written = Glibc.write(descriptor, pointer.baseAddress! + offset, pointer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw PersistenceError(.cannotWriteFile, "cannot write to the storage area (errno \(errno))")
                    }
                    offset += written
                }
            }
            if syncing && fsync(descriptor) != 0 {
                throw PersistenceError(.cannotWriteFile, "cannot sync a file of the storage area (errno \(errno))")
            }
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw PersistenceError(.cannotWriteFile, "cannot rename a file of the storage area (errno \(errno))")
        }
        succeeded = true
        if syncing {
            // The new name, then the entries of any folder made for it: all durable before the caller answers.
            Self.syncFolder(folder)
            for created in createdFolders { Self.syncFolder(Self.parent(of: created)) }
        }
    }

    /// Makes the shard folders of `folder` that are missing (the root and its ancestors are created as one
    /// would with `mkdir -p`) and returns the folders this call created, the root included, deepest first.
    func makeShardFolders(_ folder: String) throws -> [String] {
        if access(folder, F_OK) == 0 { return [] }
        var created: [String] = []
        if access(root, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            } catch {
                throw PersistenceError(.cannotWriteFile, "cannot create the storage area's folder")
            }
            created.append(root)
        }
        var missing: [String] = []
        var current = folder
        while current.count > root.count, access(current, F_OK) != 0 {
            missing.append(current)
            current = Self.parent(of: current)
        }
        for path in missing.reversed() {
            if mkdir(path, 0o755) == 0 {
                created.append(path)
            } else if errno != EEXIST {
                throw PersistenceError(.cannotWriteFile, "cannot create a folder in the storage area (errno \(errno))")
            }
        }
        return created.reversed()
    }

    private static func parent(of path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    }

    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    // MARK: - Encoding

    /// Lowercase hexadecimal MD5 of the readable bytes.
    package static func md5(_ bytes: ByteBuffer) -> String {
        hexadecimal(bytes.withUnsafeReadableBytes { Insecure.MD5.hash(data: $0) })
    }

    /// Lowercase hexadecimal of a digest.
    static func hexadecimal(_ digest: Insecure.MD5Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Orthanc's `ZlibWithSize`: the size as a little-endian `UInt64`, then a zlib stream.
    package static func compress(_ bytes: ByteBuffer) throws -> ByteBuffer {
        var input = bytes
        var output = ByteBufferAllocator().buffer(capacity: bytes.readableBytes / 2 + 64)
        output.writeInteger(UInt64(bytes.readableBytes), endianness: .little)
        do {
            var compressed = try input.compress(with: .zlib())
            output.writeBuffer(&compressed)
        } catch {
            throw PersistenceError(.cannotWriteFile, "cannot compress a file for the storage area")
        }
        return output
    }

    /// Decodes Orthanc's `ZlibWithSize` format.
    package static func decompress(_ bytes: ByteBuffer) throws -> ByteBuffer {
        var input = bytes
        guard let size = input.readInteger(endianness: .little, as: UInt64.self) else {
            throw PersistenceError(.corruptedFile, "a compressed file is shorter than its size header")
        }
        if size == 0 { return ByteBuffer() }
        // Deflate cannot expand data more than about 1032 times: a larger announced size is a corrupted header.
        guard size <= UInt64(input.readableBytes) * 1100 + 1024 else {
            throw PersistenceError(.corruptedFile, "a compressed file announces an impossible size")
        }
        var output = ByteBufferAllocator().buffer(capacity: Int(size))
        do {
            try input.decompress(to: &output, with: .zlib())
        } catch {
            throw PersistenceError(.corruptedFile, "a compressed file does not decode")
        }
        guard output.readableBytes == Int(size) else {
            throw PersistenceError(.corruptedFile, "a compressed file does not match its size header")
        }
        return output
    }
}
