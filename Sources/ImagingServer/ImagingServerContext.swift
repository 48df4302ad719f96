import NIOCore
import NIOPosix
package import Persistence

/// What every route needs: the configuration, the index, the storage area and the stability monitor.
package final class ImagingServerContext: Sendable {
    package let configuration: ImagingConfiguration
    package let index: ImagingIndex
    package let storage: StorageArea
    package let stability: StabilityMonitor
    /// Threads for blocking file I/O (writes and syncs of the storage area), so that concurrent uploads sync
    /// their files in parallel without blocking Swift's cooperative threads.
    let fileThreads: NIOThreadPool

    package init(configuration: ImagingConfiguration, index: ImagingIndex, storage: StorageArea) {
        self.configuration = configuration
        self.index = index
        self.storage = storage
        self.stability = StabilityMonitor(stableAgeSeconds: configuration.stableAge)
        self.fileThreads = NIOThreadPool(numberOfThreads: 16)
        fileThreads.start()
    }

    deinit {
        fileThreads.shutdownGracefully { _ in }
    }

    /// Writes a file to the storage area on the file threads.
    func storeFile(_ bytes: ByteBuffer) async throws -> StoredFile {
        let storage = self.storage
        return try await fileThreads.runIfActive { try storage.store(bytes) }
    }

    /// Writes a file to the storage area on the file threads, compressed or not whatever the configuration.
    func storeFile(_ bytes: ByteBuffer, compressed: Bool) async throws -> StoredFile {
        let storage = self.storage
        return try await fileThreads.runIfActive { try storage.store(bytes, compressed: compressed) }
    }

    /// Reads a file of the storage area on the file threads.
    func readFile(_ attachment: AttachmentInfo) async throws -> ByteBuffer {
        let storage = self.storage
        return try await fileThreads.runIfActive {
            try storage.read(uuid: attachment.uuid, compression: attachment.compression)
        }
    }

    /// Opens the index and the storage area named by the configuration.
    package convenience init(configuration: ImagingConfiguration) throws {
        let storage = StorageArea(
            root: configuration.storageDirectory, compressesNewFiles: configuration.storageCompression)
        let index = try ImagingIndex(path: configuration.effectiveIndexDirectory + "/atrium-index.sqlite")
        self.init(configuration: configuration, index: index, storage: storage)
    }

    /// The recycling limits of the configuration.
    package var recyclingLimits: RecyclingLimits {
        RecyclingLimits(
            maximumStorageSize: Int64(configuration.maximumStorageSizeMB) * 1024 * 1024,
            maximumPatientCount: configuration.maximumPatientCount,
            rejectsInsteadOfRecycling: configuration.maximumStorageMode == .reject)
    }

    /// Removes files that the index no longer references.
    package func removeFiles(_ files: [ObsoleteFile]) {
        for file in files { storage.remove(uuid: file.uuid) }
    }
}
