import Dispatch
import Synchronization

/// Up to `capacity` reader connections, opened on first need and lent to one synchronous caller at a time, on
/// the caller's own thread.
///
/// A caller beyond `capacity` waits for a connection to come back; the body never waits for another reader, so
/// the wait always ends.
final class SQLiteReaderPool: Sendable {
    private let idle = Mutex<[SQLiteHandle]>([])
    /// Counts the connections that may still be lent: idle ones plus those not yet opened.
    private let available: DispatchSemaphore
    private let open: @Sendable () throws -> SQLiteHandle

    /// - Parameters:
    ///   - capacity: the most connections open, and lent, at once.
    ///   - open: opens one more reader connection.
    init(capacity: Int, open: @escaping @Sendable () throws -> SQLiteHandle) {
        available = DispatchSemaphore(value: capacity)
        self.open = open
    }

    /// Lends a reader connection to `body` on the calling thread.
    ///
    /// A connection that `body` leaves inside a transaction is closed rather than lent again.
    /// - Throws: ``SQLiteError`` when no connection can be opened, or what `body` throws.
    func withReader<T>(_ body: (SQLiteHandle) throws -> T) throws -> T {
        available.wait()
        defer { available.signal() }
        let handle = try idle.withLock { $0.popLast() } ?? open()
        defer {
            if !handle.isInsideTransaction { idle.withLock { $0.append(handle) } }
        }
        return try body(handle)
    }
}
