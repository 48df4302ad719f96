import DICOM
package import NIOCore
import NIOPosix
package import Persistence

/// The one path by which instances enter Atrium: `POST /instances`, C-STORE, and the instances that C-MOVE and
/// C-GET bring back.
///
/// An instance is read (parsed whole, its identifiers and main tags taken), its file written to the storage
/// area, made durable together with the files written at the same time (one filesystem sync for the whole
/// group), then recorded in the index in a group commit. ``store(_:origin:)`` returns only after both, so
/// whatever the caller acknowledges survives a crash; a file whose index commit fails is removed.
package final class IngestService: Sendable {
    private let configuration: ImagingConfiguration
    private let index: ImagingIndex
    private let storage: StorageArea
    private let stability: StabilityMonitor
    /// Writes a file to the storage area, unsynced, off Swift's cooperative threads.
    private let writeFile: @Sendable (ByteBuffer) async throws -> StoredFile
    /// Threads for the blocking work of spooled files: reading their prefix, renaming, removing.
    private let fileThreads: NIOThreadPool
    private let durability: DurabilityBatcher
    private let recyclingLimits: RecyclingLimits

    init(
        configuration: ImagingConfiguration, index: ImagingIndex, storage: StorageArea, stability: StabilityMonitor,
        recyclingLimits: RecyclingLimits, fileThreads: NIOThreadPool,
        writeFile: @escaping @Sendable (ByteBuffer) async throws -> StoredFile
    ) {
        self.fileThreads = fileThreads
        self.configuration = configuration
        self.index = index
        self.storage = storage
        self.stability = stability
        self.writeFile = writeFile
        self.durability = DurabilityBatcher(folder: storage.root)
        self.recyclingLimits = recyclingLimits
    }

    /// A file that was read and can be stored.
    package struct PreparedInstance: Sendable {
        package let bytes: ByteBuffer
        package let reading: InstanceReader.Reading
    }

    /// Reads a file without storing anything, so that a caller with several files can refuse them all when one is
    /// unreadable.
    ///
    /// - Throws: ``IngestRejection`` when the bytes are not a DICOM instance Atrium can index.
    package func prepare(_ bytes: ByteBuffer) throws(IngestRejection) -> PreparedInstance {
        PreparedInstance(bytes: bytes, reading: try InstanceReader.read(bytes))
    }

    /// Reads and stores one file.
    package func ingest(_ bytes: ByteBuffer, origin: IngestOrigin) async -> IngestOutcome {
        do {
            return await store(try prepare(bytes), origin: origin)
        } catch {
            return .rejected(error)
        }
    }

    /// Stores prepared files concurrently, so that their writes share durability syncs and index commits; the
    /// outcomes come back in the order of `instances`.
    package func store(_ instances: [PreparedInstance], origin: IngestOrigin) async -> [IngestOutcome] {
        if instances.count == 1 { return [await store(instances[0], origin: origin)] }
        return await withTaskGroup(of: (Int, IngestOutcome).self) { group in
            for (position, instance) in instances.enumerated() {
                group.addTask { (position, await self.store(instance, origin: origin)) }
            }
            var outcomes = [IngestOutcome?](repeating: nil, count: instances.count)
            for await (position, outcome) in group { outcomes[position] = outcome }
            return outcomes.map { $0! }
        }
    }

    /// Stores one prepared file: storage area, durability, then the index.
    ///
    /// With `OverwriteInstances` false, an instance the index already holds is `alreadyStored` before anything
    /// is written. Two uploads of a new instance at once both write their file; the index keeps one and the
    /// other file is removed.
    package func store(_ instance: PreparedInstance, origin: IngestOrigin) async -> IngestOutcome {
        await store(instance.reading, origin: origin) { try await self.writeFile(instance.bytes) }
    }

    /// Stores a file received into a spool file (a C-STORE too large to hold in memory): reads a prefix of it,
    /// checks it is complete, then, as ``store(_:origin:)-(PreparedInstance,_)``, gives it its place in the storage
    /// area, makes it durable and records it in the index. The spool file is adopted or discarded, whatever the
    /// outcome.
    package func ingest(spooled spool: SpoolFile, origin: IngestOrigin) async -> IngestOutcome {
        let threads = fileThreads
        let reading: InstanceReader.Reading
        do {
            reading = try await threads.runIfActive {
                try InstanceReader.read(size: spool.finishWriting().size, through: spool.read(at:count:))
            }
        } catch {
            await discard(spool)
            if let rejection = error as? IngestRejection { return .rejected(rejection) }
            return .rejected(Self.rejection(for: error))
        }
        let storage = self.storage
        let outcome = await store(reading, origin: origin) {
            try await threads.runIfActive { try storage.adopt(spool) }
        }
        // Adopted, the spool file is gone from its path; otherwise (already stored, a failure) it is removed here.
        await discard(spool)
        return outcome
    }

    /// Removes a spool file on the file threads.
    func discard(_ spool: SpoolFile) async {
        try? await fileThreads.runIfActive { spool.discard() }
    }

    /// What both paths share once a file is read: the overwrite check, the write (by `write`, unsynced),
    /// durability, then the index.
    private func store(
        _ reading: InstanceReader.Reading, origin: IngestOrigin,
        write: @Sendable () async throws -> StoredFile
    ) async -> IngestOutcome {
        let ids = ResourceIDs(
            patientID: reading.patientID, studyInstanceUID: reading.studyInstanceUID,
            seriesInstanceUID: reading.seriesInstanceUID, sopInstanceUID: reading.sopInstanceUID)
        do {
            if configuration.overwriteInstances == .never, try await index.contains(instance: ids.instance) {
                return .alreadyStored(ids)
            }
        } catch {
            return .rejected(Self.rejection(for: error))
        }
        let file: StoredFile
        do {
            file = try await writeDurably(write)
        } catch {
            return .rejected(Self.rejection(for: error))
        }
        let record = InstanceRecord(
            patientID: reading.patientID, studyInstanceUID: reading.studyInstanceUID,
            seriesInstanceUID: reading.seriesInstanceUID, sopInstanceUID: reading.sopInstanceUID, tags: reading.tags,
            metadata: Self.metadata(of: reading, origin: origin), file: file)
        let outcome: StoreOutcome
        do {
            outcome = try await index.store(
                record, overwrite: configuration.overwriteInstances, limits: recyclingLimits)
        } catch {
            storage.remove(uuid: file.uuid)
            return .rejected(Self.rejection(for: error))
        }
        for obsolete in outcome.obsoleteFiles { storage.remove(uuid: obsolete.uuid) }
        if outcome.status == .alreadyStored {
            storage.remove(uuid: file.uuid)
            return .alreadyStored(outcome.ids)
        }
        stability.touch(outcome.ids)
        return .stored(outcome.ids)
    }

    /// Writes a file and returns once it is durable: synced with the other files written at
    /// the same time when the storage area syncs its writes (`SyncStorageArea`), as it is otherwise.
    private func writeDurably(_ write: () async throws -> StoredFile) async throws -> StoredFile {
        let file = try await write()
        guard storage.syncsWrites else { return file }
        do {
            try await durability.makeDurable()
        } catch {
            storage.remove(uuid: file.uuid)
            throw error
        }
        return file
    }

    /// The metadata Orthanc records for a new instance.
    static func metadata(of reading: InstanceReader.Reading, origin: IngestOrigin) -> [MetadataType: String] {
        var metadata = origin.metadata
        metadata[.receptionDate] = OrthancTimestamp.now()
        metadata[.transferSyntax] = reading.transferSyntaxUID
        if let sopClass = reading.sopClassUID { metadata[.sopClassUID] = sopClass }
        if let offset = reading.pixelDataOffset {
            // Orthanc records where the Pixel Data element starts (its tag), not where its value starts: the header
            // is 8 bytes in Implicit VR, 12 in Explicit VR (OB, OW: tag, VR, reserved bytes, 32-bit length).
            let header = reading.transferSyntaxUID == "1.2.840.10008.1.2" ? 8 : 12
            metadata[.pixelDataOffset] = String(offset - header)
        }
        if let vr = reading.pixelDataVR { metadata[.pixelDataVR] = vr }
        if let index = SeriesStatus.indexInSeries(tags: reading.tags) { metadata[.indexInSeries] = index }
        return metadata
    }

    /// The rejection that stands for an error of the storage area or the index.
    static func rejection(for error: any Error) -> IngestRejection {
        let orthancError = OrthancErrorBody.orthancError(for: error)
        let reason: IngestRejection.Reason = orthancError.code == .fullStorage ? .storageFull : .storageFailure
        return IngestRejection(reason, orthancError, cause: error)
    }
}
