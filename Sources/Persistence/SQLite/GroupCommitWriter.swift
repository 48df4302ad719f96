import Dispatch
import Foundation
import Synchronization

/// Runs write closures on the single SQLite writer connection, committing the closures that arrive together in
/// one transaction: one `fsync` for many requests (group commit), each closure isolated by a savepoint.
///
/// A closure that throws is rolled back to its savepoint and its caller gets the error; the others commit.
/// Callers resume only after the commit has returned, so an acknowledged write is durable. The writer runs on a
/// thread of its own, so a commit's `fsync` never blocks a thread of Swift's cooperative pool.
final class GroupCommitWriter: Sendable {
    private let queue: WriterQueue

    /// Starts the writer thread, which owns `handle` from now on and closes it when the writer is released.
    init(handle: SQLiteHandle) {
        queue = WriterQueue()
        let queue = self.queue
        let thread = Thread { queue.run(handle) }
        thread.name = "atrium.sqlite.writer"
        thread.start()
    }

    deinit { queue.stop() }

    /// The number of jobs waiting for the writer thread.
    var pendingCount: Int { queue.pendingCount }

    /// Runs `body` inside its own savepoint of the next group transaction and returns once that has committed.
    /// - Throws: what `body` throws (its savepoint rolled back), or the ``SQLiteError`` of the commit.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { continuation in
            let write = PendingWrite(
                run: { connection in
                    do {
                        let value = try body(connection)
                        result.withLock { $0 = .success(value) }
                        return true
                    } catch {
                        result.withLock { $0 = .failure(error) }
                        return false
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else if let outcome = result.withLock({ $0 }) {
                        continuation.resume(with: outcome)
                    } else {
                        continuation.resume(throwing: SQLiteError(code: .busy, message: "write did not run"))
                    }
                })
            queue.submit(.grouped(write))
        }
    }

    /// Runs `body` on the writer outside any transaction, between two group commits.
    /// - Throws: what `body` throws.
    func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.submit(
                .alone { connection in
                    continuation.resume(with: Result { try body(connection) })
                })
        }
    }
}

/// A write waiting for the next group transaction.
private struct PendingWrite: Sendable {
    /// Runs the closure inside its savepoint; returns whether it succeeded.
    let run: @Sendable (SQLiteConnection) -> Bool
    /// Resumes the caller after the commit, with the commit's error if it failed.
    let finish: @Sendable ((any Error)?) -> Void
}

/// Work for the writer thread, in arrival order.
private enum WriterJob: Sendable {
    /// A write committed with the others of its group.
    case grouped(PendingWrite)
    /// A closure run on its own, outside any transaction; it resumes its caller itself.
    case alone(@Sendable (SQLiteConnection) -> Void)
}

/// The jobs waiting for the writer thread, and the loop that thread runs.
private final class WriterQueue: Sendable {
    private struct State {
        var pending: [WriterJob] = []
        /// Whether the thread has been woken and has not yet found the queue empty.
        var draining = false
        var stopping = false
        var thread: Thread?
    }

    private let state = Mutex(State())
    /// Signalled when work arrives while the thread is idle, and on `stop`.
    private let wakeUp = DispatchSemaphore(value: 0)
    /// Signalled by the thread after it has closed the connection.
    private let stopped = DispatchSemaphore(value: 0)

    var pendingCount: Int { state.withLock { $0.pending.count } }

    func submit(_ job: WriterJob) {
        let wake = state.withLock { state -> Bool in
            state.pending.append(job)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if wake { wakeUp.signal() }
    }

    /// Asks the thread to finish and, unless called from that thread, waits until the connection is closed.
    func stop() {
        let onWriterThread = state.withLock { state -> Bool in
            state.stopping = true
            return state.thread === Thread.current
        }
        wakeUp.signal()
        if !onWriterThread { stopped.wait() }
    }

    /// The writer thread's loop: sleeps until work arrives, drains it in arrival order, and closes `handle` once
    /// stopped.
    func run(_ handle: SQLiteHandle) {
        state.withLock { $0.thread = Thread.current }
        let connection = SQLiteConnection(handle: handle)
        while true {
            wakeUp.wait()
            while true {
                let (jobs, stopping) = state.withLock { state -> ([WriterJob], Bool) in
                    let jobs = state.pending
                    state.pending = []
                    if jobs.isEmpty { state.draining = false }
                    return (jobs, state.stopping)
                }
                if jobs.isEmpty {
                    if stopping {
                        state.withLock { $0.thread = nil }
                        handle.close()
                        stopped.signal()
                        return
                    }
                    break
                }
                process(jobs, on: connection)
            }
        }
    }

    /// Runs `jobs` in order: consecutive grouped writes share one transaction.
    private func process(_ jobs: [WriterJob], on connection: SQLiteConnection) {
        var group: [PendingWrite] = []
        for job in jobs {
            switch job {
            case .grouped(let write):
                group.append(write)
            case .alone(let body):
                commit(group, on: connection)
                group = []
                body(connection)
                if connection.handle.isInsideTransaction { try? connection.handle.execute("ROLLBACK", []) }
            }
        }
        commit(group, on: connection)
    }

    /// Commits `group` in one `BEGIN IMMEDIATE … COMMIT`, each write in its own savepoint, then resumes the
    /// callers.
    private func commit(_ group: [PendingWrite], on connection: SQLiteConnection) {
        guard !group.isEmpty else { return }
        let handle = connection.handle
        var commitError: (any Error)?
        do {
            try handle.execute("BEGIN IMMEDIATE", [])
            for write in group {
                try handle.execute("SAVEPOINT atrium_write", [])
                if !write.run(connection) {
                    try handle.execute("ROLLBACK TO atrium_write", [])
                }
                try handle.execute("RELEASE atrium_write", [])
            }
            try handle.execute("COMMIT", [])
        } catch {
            if handle.isInsideTransaction { try? handle.execute("ROLLBACK", []) }
            commitError = error
        }
        for write in group { write.finish(commitError) }
    }
}
