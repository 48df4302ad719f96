import Dispatch
import GRDB
import Synchronization

/// Runs write closures on the single SQLite writer, committing the closures that arrive together in one
/// transaction: one `fsync` for many requests (group commit), each closure isolated by a savepoint.
///
/// A closure that throws is rolled back to its savepoint and its caller gets the error; the others commit.
/// Callers resume only after the commit has returned, so an acknowledged write is durable.
final class GroupCommitWriter: Sendable {
    private struct PendingWrite: Sendable {
        /// Runs the closure inside its savepoint; returns whether it succeeded.
        let run: @Sendable (Database) -> Bool
        /// Resumes the caller after the commit, with the commit's error if it failed.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var pending: [PendingWrite] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "atrium.sqlite.writer")

    init(pool: DatabasePool) { self.pool = pool }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { continuation in
            let write = PendingWrite(
                run: { database in
                    do {
                        let value = try body(database)
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
            let startDraining = state.withLock { state -> Bool in
                state.pending.append(write)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDraining { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [PendingWrite] in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            var commitError: (any Error)?
            do {
                try pool.writeWithoutTransaction { database in
                    do {
                        try database.execute(sql: "BEGIN IMMEDIATE")
                        for write in batch {
                            try database.execute(sql: "SAVEPOINT atrium_write")
                            if !write.run(database) {
                                try database.execute(sql: "ROLLBACK TO atrium_write")
                            }
                            try database.execute(sql: "RELEASE atrium_write")
                        }
                        try database.execute(sql: "COMMIT")
                    } catch {
                        if !database.isInsideTransaction {
                            throw error
                        }
                        try? database.execute(sql: "ROLLBACK")
                        throw error
                    }
                }
            } catch let error as DatabaseError {
                commitError = SQLiteError(error)
            } catch {
                commitError = error
            }
            for write in batch { write.finish(commitError) }
        }
    }
}
