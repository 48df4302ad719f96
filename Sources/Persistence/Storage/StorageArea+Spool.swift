import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension StorageArea {
    /// Creates an empty spool file in the storage area's root (created if missing), for a file received piece by
    /// piece.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile`.
    package func createSpoolFile() throws -> SpoolFile {
        if access(root, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            } catch {
                throw PersistenceError(.cannotWriteFile, "cannot create the storage area's folder")
            }
        }
        let path = root + "/" + SpoolFile.namePrefix + UUID().uuidString.lowercased()
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PersistenceError(.cannotWriteFile, "cannot create a spool file (errno \(errno))")
        }
        return SpoolFile(path: path, descriptor: descriptor)
    }

    /// Gives a complete spool file its place in Orthanc's layout, under a new UUID, by renaming it, and describes
    /// it. The file is stored as it was written, uncompressed whatever ``compressesNewFiles`` says: Orthanc reads
    /// each attachment by the compression its record names.
    ///
    /// As ``storeWithoutSync(_:compressed:)``, the file is not yet durable: the caller syncs it through a
    /// ``DurabilityBatcher`` when the storage area syncs its writes.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile`; the spool file is left for the caller to discard.
    package func adopt(_ spool: SpoolFile) throws -> StoredFile {
        let (size, md5) = spool.finishWriting()
        let uuid = UUID().uuidString.lowercased()
        let finalPath = path(of: uuid)
        let folder = String(finalPath[..<(finalPath.lastIndex(of: "/") ?? finalPath.endIndex)])
        _ = try makeShardFolders(folder)
        guard rename(spool.path, finalPath) == 0 else {
            throw PersistenceError(.cannotWriteFile, "cannot rename a file of the storage area (errno \(errno))")
        }
        spool.close()
        return StoredFile(
            uuid: uuid, compression: .none, uncompressedSize: size, compressedSize: size, uncompressedMD5: md5,
            compressedMD5: md5)
    }

    /// Removes the spool files a stopped process left in the root (a crash in the middle of a transfer); the
    /// storage area calls it when it opens, before any transfer starts.
    package func removeLeftoverSpoolFiles() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for name in names where name.hasPrefix(SpoolFile.namePrefix) {
            unlink(root + "/" + name)
        }
    }
}
