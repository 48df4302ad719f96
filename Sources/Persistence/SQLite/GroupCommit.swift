import Synchronization

/// Group commit on a ``SQLiteDatabase``: concurrent writes share one transaction and one sync.
///
/// Each write runs in its own savepoint, so one that throws rolls back alone and the others still commit. The
/// first caller that finds the queue idle becomes the drainer: it commits the queued writes together, wakes
/// their callers, and goes on while more arrived meanwhile. A caller is resumed only after the transaction that
/// holds its write has committed — with `synchronous=FULL`, durably; if the commit fails, every write of the
/// batch fails.
package actor GroupCommit {
    private let database: SQLiteDatabase
    private var pending: [PendingWrite] = []
    private var isDraining = false

    package init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Runs `body` in the next group transaction and returns its result once that transaction is durable.
    /// - Throws: what `body` throws, or ``SQLiteError`` if the transaction cannot commit.
    package func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let job = PendingWrite { connection in try body(connection) }
        pending.append(job)
        if !isDraining {
            isDraining = true
            await drain()
            isDraining = false
        }
        let value = try await job.value()
        guard let typed = value as? T else { preconditionFailure("a group write returned a value of another type") }
        return typed
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            do {
                try await database.write { connection in
                    for job in batch { try job.run(on: connection) }
                }
                for job in batch { job.complete(commitError: nil) }
            } catch {
                for job in batch { job.complete(commitError: error) }
            }
        }
    }
}

/// One queued write: its body, then its outcome, then its waiting caller.
private final class PendingWrite: Sendable {
    private enum State {
        case queued
        case executed(Result<any Sendable, any Error>)
        case waiting(CheckedContinuation<any Sendable, any Error>)
        case waitingExecuted(CheckedContinuation<any Sendable, any Error>, Result<any Sendable, any Error>)
        case finished(Result<any Sendable, any Error>)
    }

    private let body: @Sendable (SQLiteConnection) throws -> any Sendable
    private let state = Mutex<State>(.queued)

    init(body: @escaping @Sendable (SQLiteConnection) throws -> any Sendable) {
        self.body = body
    }

    /// Runs the body in a savepoint of the group transaction; only a failure of the savepoint itself escapes.
    func run(on connection: SQLiteConnection) throws {
        try connection.execute("SAVEPOINT groupWrite")
        let outcome: Result<any Sendable, any Error>
        do {
            outcome = .success(try body(connection))
        } catch {
            outcome = .failure(error)
        }
        if case .failure = outcome {
            try connection.execute("ROLLBACK TO groupWrite")
        }
        try connection.execute("RELEASE groupWrite")
        state.withLock { state in
            switch state {
            case .queued: state = .executed(outcome)
            case .waiting(let continuation): state = .waitingExecuted(continuation, outcome)
            default: break
            }
        }
    }

    /// Publishes the outcome once the transaction has committed (or failed to).
    func complete(commitError: (any Error)?) {
        let resumption: (CheckedContinuation<any Sendable, any Error>, Result<any Sendable, any Error>)? =
            state.withLock { state in
                var result: Result<any Sendable, any Error>
                var continuation: CheckedContinuation<any Sendable, any Error>?
                switch state {
                case .executed(let outcome): result = outcome
                case .waitingExecuted(let waiting, let outcome):
                    result = outcome
                    continuation = waiting
                case .waiting(let waiting):
                    result = .failure(SQLiteError(code: .init(rawValue: 1), message: "the write did not run"))
                    continuation = waiting
                case .queued:
                    result = .failure(SQLiteError(code: .init(rawValue: 1), message: "the write did not run"))
                case .finished: return nil
                }
                if let commitError { result = .failure(commitError) }
                state = .finished(result)
                return continuation.map { ($0, result) }
            }
        if let (continuation, result) = resumption { continuation.resume(with: result) }
    }

    /// The outcome, waiting for the commit if needed.
    func value() async throws -> any Sendable {
        try await withCheckedThrowingContinuation { continuation in
            let finished: Result<any Sendable, any Error>? = state.withLock { state in
                switch state {
                case .finished(let result): return result
                case .queued:
                    state = .waiting(continuation)
                    return nil
                case .executed(let outcome):
                    state = .waitingExecuted(continuation, outcome)
                    return nil
                case .waiting, .waitingExecuted: return nil
                }
            }
            if let finished { continuation.resume(with: finished) }
        }
    }
}
