import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes the files written under one folder durable in groups: one filesystem sync covers every write that had
/// finished when it started.
///
/// A caller writes its files without syncing them, then awaits ``makeDurable()``. Callers that arrive while a
/// sync runs wait for the next one (their writes may have finished after the running sync began), so each caller
/// resumes only after a sync that started after its writes. On Linux one `syncfs` flushes the data and metadata
/// of every file of the filesystem, renames and new folders included, at the cost of one journal commit however
/// many files there are; elsewhere the whole system is synced.
package final class DurabilityBatcher: Sendable {
    private struct State {
        var isSyncing = false
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    private let folder: String
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "atrium.storage.durability")

    /// A batcher for the filesystem that holds `folder` (which must exist by the time a sync runs).
    package init(folder: String) {
        self.folder = folder
    }

    /// Returns once every file written before the call is durable.
    ///
    /// - Throws: `PersistenceError.cannotWriteFile` if the filesystem cannot be synced.
    package func makeDurable() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startsSync = state.withLock { state in
                state.waiting.append(continuation)
                guard !state.isSyncing else { return false }
                state.isSyncing = true
                return true
            }
            if startsSync { queue.async { self.syncRounds() } }
        }
    }

    /// Runs syncs on the batcher's queue until nobody waits.
    private func syncRounds() {
        while true {
            let batch: [CheckedContinuation<Void, any Error>] = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.isSyncing = false }
                return batch
            }
            if batch.isEmpty { return }
            let result = Self.syncFilesystem(of: folder)
            for continuation in batch { continuation.resume(with: result) }
        }
    }

    #if os(Linux)
        /// Glibc's `syncfs(2)` wrapper, which its Swift module does not export (it is a GNU extension).
        private static let syncfs: (@convention(c) (Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        }()
    #endif

    private static func syncFilesystem(of folder: String) -> Result<Void, any Error> {
        #if os(Linux)
            let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else {
                return .failure(PersistenceError(.cannotWriteFile, "cannot open the storage area (errno \(errno))"))
            }
            defer { close(descriptor) }
            guard let syncfs = Self.syncfs else {
                // A C library without `syncfs`: sync everything.
                sync()
                return .success(())
            }
            guard syncfs(descriptor) == 0 else {
                return .failure(PersistenceError(.cannotWriteFile, "cannot sync the storage area (errno \(errno))"))
            }
        #else
            sync()
        #endif
        return .success(())
    }
}
