import Synchronization

/// Up to `capacity` reader connections, each with a thread of its own, opened on first need and lent to one
/// task at a time.
///
/// A task beyond `capacity` is suspended, not blocked, until a reader comes back; a reader's body never waits
/// for another reader, so the wait always ends.
final class SQLiteReaderPool: Sendable {
    /// A reader connection and the thread its statements run on.
    struct Reader: Sendable {
        let handle: SQLiteHandle
        let executor: ThreadTaskExecutor
    }

    private struct State {
        var idle: [Reader] = []
        /// Readers open, idle or lent.
        var openCount = 0
        var isClosed = false
        /// Tasks waiting for a reader: resumed with one, or with `nil` when they may open a new one.
        var waiters: [CheckedContinuation<Reader?, any Error>] = []
    }

    private let capacity: Int
    private let state = Mutex(State())
    private let open: @Sendable () throws -> SQLiteHandle

    /// - Parameters:
    ///   - capacity: the most connections open, and lent, at once.
    ///   - open: opens one more reader connection.
    init(capacity: Int, open: @escaping @Sendable () throws -> SQLiteHandle) {
        self.capacity = capacity
        self.open = open
    }

    deinit {
        for reader in state.withLock({ $0.idle }) { reader.executor.stop() }
    }

    /// Lends a reader to `body`, which runs on the reader's thread.
    ///
    /// A connection that `body` leaves inside a transaction is closed rather than lent again.
    /// - Throws: ``PersistenceError`` when no connection can be opened or the pool is closed, or what `body`
    ///   throws.
    func withReader<T>(_ body: (SQLiteHandle) async throws -> T) async throws -> T {
        let reader = try await lease()
        do {
            let value = try await withTaskExecutorPreference(reader.executor) { try await body(reader.handle) }
            giveBack(reader)
            return value
        } catch {
            giveBack(reader)
            throw error
        }
    }

    /// Closes the idle readers and refuses new leases; lent readers are closed when they come back.
    func close() {
        let (idle, waiters) = state.withLock { state in
            state.isClosed = true
            defer {
                state.openCount -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for reader in idle { retire(reader) }
        for waiter in waiters { waiter.resume(throwing: Self.closedError) }
    }

    private static var closedError: PersistenceError { PersistenceError(.unavailable, "the database is closed") }

    private enum Lease {
        case reader(Reader), openNew, wait, closed
    }

    private func lease() async throws -> Reader {
        let lease = state.withLock { state -> Lease in
            if state.isClosed { return .closed }
            if let reader = state.idle.popLast() { return .reader(reader) }
            if state.openCount < capacity {
                state.openCount += 1
                return .openNew
            }
            return .wait
        }
        switch lease {
        case .reader(let reader): return reader
        case .closed: throw Self.closedError
        case .openNew: return try openReader()
        case .wait:
            let reader = try await withCheckedThrowingContinuation { continuation in
                let closed = state.withLock { state -> Bool in
                    if state.isClosed { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if closed { continuation.resume(throwing: Self.closedError) }
            }
            return try reader ?? openReader()
        }
    }

    /// Opens a reader for a lease already counted in `openCount`, uncounting it when the open fails.
    private func openReader() throws -> Reader {
        do {
            let handle = try PersistenceError.mapping { try open() }
            return Reader(handle: handle, executor: ThreadTaskExecutor(name: "atrium.sqlite.reader"))
        } catch {
            release(reusable: nil)
            throw error
        }
    }

    private func giveBack(_ reader: Reader) {
        if reader.handle.isInsideTransaction {
            retire(reader)
            release(reusable: nil)
        } else {
            release(reusable: reader)
        }
    }

    /// Hands a returned reader (or, with `nil`, the room of a retired one) to the first waiter, or keeps it.
    private func release(reusable reader: Reader?) {
        let (waiter, retired) = state.withLock { state -> (CheckedContinuation<Reader?, any Error>?, Reader?) in
            if !state.waiters.isEmpty { return (state.waiters.removeFirst(), nil) }
            if let reader, !state.isClosed {
                state.idle.append(reader)
                return (nil, nil)
            }
            state.openCount -= 1
            return (nil, reader)
        }
        if let retired { retire(retired) }
        waiter?.resume(returning: reader)
    }

    private func retire(_ reader: Reader) {
        reader.handle.close()
        reader.executor.stop()
    }
}
