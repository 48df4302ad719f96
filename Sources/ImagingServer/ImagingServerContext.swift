package import Persistence

/// What every route needs: the configuration, the index, the storage area and the stability monitor.
package final class ImagingServerContext: Sendable {
    package let configuration: ImagingConfiguration
    package let index: ImagingIndex
    package let storage: StorageArea
    package let stability: StabilityMonitor

    package init(configuration: ImagingConfiguration, index: ImagingIndex, storage: StorageArea) {
        self.configuration = configuration
        self.index = index
        self.storage = storage
        self.stability = StabilityMonitor(stableAgeSeconds: configuration.stableAge)
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
