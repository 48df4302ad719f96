import Synchronization

/// Runs write closures on the single SQLite writer connection, committing the closures that arrive together in
/// one transaction: one `fsync` for many requests (group commit), each closure isolated by a savepoint.
///
/// A closure that throws is rolled back to its savepoint and its caller gets the error; the others commit.
/// Callers resume only after the commit has returned, so an acknowledged write is durable. The closures and the
/// commits run in a task that prefers the writer's own thread, so a commit's `fsync` never blocks a thread of
/// Swift's cooperative pool.
final class GroupCommitWriter: Sendable {
    private struct State {
        var pending: [WriterJob] = []
        /// Whether a drain task is running; it ends once it finds the queue empty.
        var isDraining = false
        var isClosed = false
        /// Resumed when the drain task has ended after `close`.
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let handle: SQLiteHandle
    private let executor = ThreadTaskExecutor(name: "atrium.sqlite.writer")
    private let state = Mutex(State())

    /// Takes ownership of `handle`, which is closed with the writer.
    init(handle: SQLiteHandle) {
        self.handle = handle
    }

    deinit {
        handle.close()
        executor.stop()
    }

    /// The number of jobs waiting for the writer.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Runs `body` inside its own savepoint of the next group transaction and returns once that has committed.
    /// - Throws: what `body` throws (its savepoint rolled back), or the ``PersistenceError`` of the commit.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Connection) async throws -> T) async throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { continuation in
            let write = PendingWrite(
                run: { connection in
                    do {
                        let value = try await body(connection)
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
                        continuation.resume(throwing: PersistenceError(.unavailable, "the write did not run"))
                    }
                })
            submit(.grouped(write)) { continuation.resume(throwing: $0) }
        }
    }

    /// Runs `body` on the writer outside any transaction, between two group commits.
    /// - Throws: what `body` throws.
    func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Connection) async throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit(
                .alone { connection in
                    do {
                        continuation.resume(returning: try await body(connection))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            ) { continuation.resume(throwing: $0) }
        }
    }

    /// Lets the jobs already submitted finish, then refuses new ones; the connection is closed with the writer.
    func close() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.isClosed = true
                guard state.isDraining else { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Queues `job` and starts a drain task if none runs; calls `refuse` instead when the writer is closed.
    private func submit(_ job: WriterJob, refuse: (PersistenceError) -> Void) {
        let (accepted, startDrain) = state.withLock { state -> (Bool, Bool) in
            guard !state.isClosed else { return (false, false) }
            state.pending.append(job)
            defer { state.isDraining = true }
            return (true, !state.isDraining)
        }
        guard accepted else {
            refuse(PersistenceError(.unavailable, "the database is closed"))
            return
        }
        if startDrain {
            Task(executorPreference: executor) { await self.drain() }
        }
    }

    /// Runs the queued jobs in arrival order until the queue is empty.
    private func drain() async {
        let connection = SQLiteConnection(handle: handle)
        while true {
            let (jobs, waiters) = state.withLock { state -> ([WriterJob], [CheckedContinuation<Void, Never>]) in
                let jobs = state.pending
                state.pending = []
                guard jobs.isEmpty else { return (jobs, []) }
                state.isDraining = false
                defer { state.closeWaiters = [] }
                return (jobs, state.closeWaiters)
            }
            if jobs.isEmpty {
                for waiter in waiters { waiter.resume() }
                return
            }
            await process(jobs, on: connection)
        }
    }

    /// Runs `jobs` in order: consecutive grouped writes share one transaction.
    private func process(_ jobs: [WriterJob], on connection: SQLiteConnection) async {
        var group: [PendingWrite] = []
        for job in jobs {
            switch job {
            case .grouped(let write):
                group.append(write)
            case .alone(let body):
                await commit(group, on: connection)
                group = []
                await body(connection)
                if handle.isInsideTransaction { try? handle.execute("ROLLBACK", []) }
            }
        }
        await commit(group, on: connection)
    }

    /// Commits `group` in one `BEGIN IMMEDIATE … COMMIT`, each write in its own savepoint, then resumes the
    /// callers.
    private func commit(_ group: [PendingWrite], on connection: SQLiteConnection) async {
        guard !group.isEmpty else { return }
        var commitError: (any Error)?
        do {
            try await connection.execute("BEGIN IMMEDIATE")
            for write in group {
                try await connection.execute("SAVEPOINT atrium_write")
                if !(await write.run(connection)) {
                    try await connection.execute("ROLLBACK TO atrium_write")
                }
                try await connection.execute("RELEASE atrium_write")
            }
            try await connection.execute("COMMIT")
        } catch {
            if handle.isInsideTransaction { try? handle.execute("ROLLBACK", []) }
            commitError = error
        }
        for write in group { write.finish(commitError) }
    }
}

/// A write waiting for the next group transaction.
private struct PendingWrite: Sendable {
    /// Runs the closure inside its savepoint; returns whether it succeeded.
    let run: @Sendable (any Connection) async -> Bool
    /// Resumes the caller after the commit, with the commit's error if it failed.
    let finish: @Sendable ((any Error)?) -> Void
}

/// Work for the writer, in arrival order.
private enum WriterJob: Sendable {
    /// A write committed with the others of its group.
    case grouped(PendingWrite)
    /// A closure run on its own, outside any transaction; it resumes its caller itself.
    case alone(@Sendable (any Connection) async -> Void)
}
