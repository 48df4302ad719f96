package import DICOMNetwork
import Logging
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
    /// The one path by which instances are stored.
    package let ingest: IngestService
    /// The modalities Atrium knows (`DicomModalities`, changed through `/modalities`).
    package let modalities: ModalityDirectory
    /// The negotiation settings REST clients may change while the DICOM server runs.
    package let negotiation: NegotiationSettings
    /// The storage commitment requests sent as SCU and their results (`/storage-commitment`).
    package let storageCommitmentReports = StorageCommitmentReports()
    /// The DICOM TLS contexts (`DicomTlsCertificate`, `DicomTlsPrivateKey`, `DicomTlsTrustedCertificates`), nil
    /// when they are not configured.
    package let dicomTLS: DICOMTLSContexts?

    /// - Throws: `OrthancError.database` when `DicomModalitiesInDatabase` is true and the modalities saved in the
    ///   index cannot be read.
    package init(
        configuration: ImagingConfiguration, index: ImagingIndex, storage: StorageArea,
        dicomTLS: DICOMTLSContexts? = nil
    ) async throws {
        self.configuration = configuration
        self.dicomTLS = dicomTLS
        self.index = index
        self.storage = storage
        // A spool file is never resumed: one left by a stopped process is a transfer its sender saw fail.
        storage.removeLeftoverSpoolFiles()
        if configuration.dicomModalitiesInDatabase {
            // As Orthanc: the index holds the modalities, and `DicomModalities` of the file is not read.
            let saved = try await index.savedModalities()
            self.modalities = ModalityDirectory(
                saved?.modalities ?? [:], strictAETComparison: configuration.strictAETComparison,
                revision: saved?.revision ?? 0)
        } else {
            self.modalities = ModalityDirectory(
                configuration.dicomModalities, strictAETComparison: configuration.strictAETComparison)
        }
        self.negotiation = NegotiationSettings(
            acceptedTransferSyntaxes: AcceptedTransferSyntaxes(patterns: configuration.acceptedTransferSyntaxes),
            unknownSOPClassAccepted: configuration.unknownSOPClassAccepted)
        let stability = StabilityMonitor(stableAgeSeconds: configuration.stableAge)
        self.stability = stability
        let fileThreads = NIOThreadPool(numberOfThreads: 16)
        self.fileThreads = fileThreads
        fileThreads.start()
        self.ingest = IngestService(
            configuration: configuration, index: index, storage: storage, stability: stability,
            recyclingLimits: Self.recyclingLimits(of: configuration), fileThreads: fileThreads,
            writeFile: { bytes in
                try await fileThreads.runIfActive {
                    try storage.storeWithoutSync(bytes, compressed: storage.compressesNewFiles)
                }
            })
    }

    deinit {
        fileThreads.shutdownGracefully { _ in }
    }

    /// Writes a file to the storage area on the file threads, compressed as the configuration says unless
    /// `compressed` says otherwise.
    func storeFile(_ bytes: ByteBuffer, compressed: Bool? = nil) async throws -> StoredFile {
        let compressed = compressed ?? storage.compressesNewFiles
        let storage = self.storage
        return try await fileThreads.runIfActive { try storage.store(bytes, compressed: compressed) }
    }

    /// Files up to this size on disk are read on the calling thread: a read of a few hundred kilobytes from the
    /// page cache takes microseconds, less than the two thread hops of the file threads.
    static let inlineReadLimit: Int64 = 512 * 1024

    /// Reads a file of the storage area: cached and small files on the calling thread, larger ones on the file
    /// threads.
    func readFile(_ attachment: AttachmentInfo) async throws -> ByteBuffer {
        let storage = self.storage
        if let cached = storage.cache?.get(uuid: attachment.uuid) { return cached }
        if attachment.compressedSize <= Self.inlineReadLimit {
            return try storage.readFromDisk(uuid: attachment.uuid, compression: attachment.compression)
        }
        return try await fileThreads.runIfActive {
            try storage.readFromDisk(uuid: attachment.uuid, compression: attachment.compression)
        }
    }

    /// The size of the pieces in which large uncompressed files are streamed.
    static let streamChunkSize = 1024 * 1024

    /// A file's bytes as a response body: cached, small or compressed files whole, large uncompressed files
    /// streamed in 1 MiB pieces read on the file threads, so that a multi-gigabyte instance is never held in memory.
    func fileBody(_ attachment: AttachmentInfo) async throws -> RESTResponse.Body {
        if attachment.compression != .none || attachment.compressedSize <= 8 * Int64(Self.streamChunkSize) {
            return .bytes(try await readFile(attachment))
        }
        // A large file is cached only when something read it whole (an archive, `/tags`).
        if let cached = storage.cache?.get(uuid: attachment.uuid) { return .bytes(cached) }
        let storage = self.storage
        let threads = fileThreads
        let reader = try await threads.runIfActive {
            StoredFileReaderBox(try storage.openForReading(uuid: attachment.uuid))
        }
        return .stream { write in
            defer { reader.reader.close() }
            while true {
                let piece = try await threads.runIfActive { try reader.reader.read(maximumCount: Self.streamChunkSize) }
                if piece.readableBytes == 0 { return }
                try await write(piece)
            }
        }
    }

    /// Opens the index and the storage area named by the configuration, with a storage cache of
    /// `MaximumStorageCacheSize` megabytes unless it is 0, and reads the DICOM TLS files.
    ///
    /// - Throws: `OrthancError` when the DICOM TLS files cannot be used (before anything is opened), or the error
    ///   of the index.
    package convenience init(configuration: ImagingConfiguration) async throws {
        let dicomTLS = try configuration.dicomTLS.contexts()
        // A size beyond what memory can address is a cache without a useful bound, not an overflow.
        let megabytes = min(configuration.maximumStorageCacheSizeMB, Int.max >> 20)
        let cache = megabytes > 0 ? StorageCache(capacity: megabytes << 20) : nil
        let storage = StorageArea(
            root: configuration.storageDirectory, compressesNewFiles: configuration.storageCompression,
            syncsWrites: configuration.syncStorageArea, cache: cache)
        let index = try await Self.openIndex(configuration)
        try await self.init(configuration: configuration, index: index, storage: storage, dicomTLS: dicomTLS)
    }

    /// The index of the configuration: on the PostgreSQL server of its `PostgreSQL` section when `EnableIndex`
    /// is set, otherwise in the SQLite file of `IndexDirectory`.
    private static func openIndex(_ configuration: ImagingConfiguration) async throws -> ImagingIndex {
        let settings = configuration.postgreSQL
        guard settings.enableIndex else {
            return try ImagingIndex(path: configuration.effectiveIndexDirectory + "/atrium-index.sqlite")
        }
        var server: PostgresDatabase.Configuration
        if let uri = settings.connectionURI {
            guard let parsed = PostgresDatabase.Configuration(url: uri) else {
                throw OrthancError(.parameterOutOfRange, "PostgreSQL.ConnectionUri")
            }
            server = parsed
        } else {
            server = PostgresDatabase.Configuration(
                host: settings.host, port: settings.port, username: settings.username, password: settings.password,
                database: settings.database)
        }
        server.maximumConnections = settings.indexConnectionsCount
        server.writeIsolation = settings.transactionMode == .serializable ? .serializable : .readCommitted
        let database = PostgresDatabase(configuration: server, logger: Logger(label: "atrium.imaging.postgresql"))
        do {
            return try await ImagingIndex(database: database, maximumReplays: settings.maximumConnectionRetries)
        } catch {
            await database.close()
            throw error
        }
    }

    /// The recycling limits of the configuration.
    package var recyclingLimits: RecyclingLimits { Self.recyclingLimits(of: configuration) }

    private static func recyclingLimits(of configuration: ImagingConfiguration) -> RecyclingLimits {
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

/// Moves a ``StoredFileReader`` between the file threads and the response task; only one of them uses it at a
/// time (each read is awaited before the next starts).
private final class StoredFileReaderBox: @unchecked Sendable {
    let reader: StoredFileReader
    init(_ reader: StoredFileReader) { self.reader = reader }
}
