import DICOMNetwork
import Logging
import NIOCore
import NIOPosix
import Persistence

/// Where a streamed C-STORE data set goes: a spool file of the storage area, its Part 10 header first, each
/// fragment written on the file threads as it arrives; once complete, the file is ingested as a spooled file.
final class SpooledStoreSink: DataSetSink {
    private let spool: SpoolFile
    private let ingest: IngestService
    private let fileThreads: NIOThreadPool
    private let origin: IngestOrigin
    private let answer: @Sendable (IngestOutcome) -> StoreAnswer

    /// Creates the spool file and writes `header` to it.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile`; nothing is left behind then.
    init(
        header: ByteBuffer, context: ImagingServerContext, origin: IngestOrigin,
        answer: @escaping @Sendable (IngestOutcome) -> StoreAnswer
    ) async throws {
        let storage = context.storage
        let spool = try await context.fileThreads.runIfActive {
            let spool = try storage.createSpoolFile()
            do {
                try spool.write(header)
            } catch {
                spool.discard()
                throw error
            }
            return spool
        }
        self.spool = spool
        self.ingest = context.ingest
        self.fileThreads = context.fileThreads
        self.origin = origin
        self.answer = answer
    }

    func append(_ fragment: ByteBuffer) async throws {
        let spool = self.spool
        try await fileThreads.runIfActive { try spool.write(fragment) }
    }

    func finish() async -> StoreAnswer {
        answer(await ingest.ingest(spooled: spool, origin: origin))
    }

    func abandon() async {
        await ingest.discard(spool)
    }
}
