import Persistence

extension SQLiteDatabase {
    /// `read`, adding the wait for a reading connection to the current request's timer (Orion's
    /// `dbConnectionPool` wait, statistics.md).
    func timedRead<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        guard let timer = RequestTimer.current else { return try read(body) }
        let start = ContinuousClock.now
        return try read { connection in
            timer.add(.connectionWait, ContinuousClock.now - start)
            return try body(connection)
        }
    }

    /// `readSingleStatement`, adding the wait for a reading connection to the current request's timer.
    func timedReadSingleStatement<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        guard let timer = RequestTimer.current else { return try readSingleStatement(body) }
        let start = ContinuousClock.now
        return try readSingleStatement { connection in
            timer.add(.connectionWait, ContinuousClock.now - start)
            return try body(connection)
        }
    }

    /// `write`, adding the wait for the writer to the current request's timer (Orion's `transaction` wait). The
    /// body may run on the writer's thread, so the timer is captured here rather than looked up there.
    func timedWrite<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        guard let timer = RequestTimer.current else { return try await write(body) }
        let start = ContinuousClock.now
        return try await write { connection in
            timer.add(.transactionWait, ContinuousClock.now - start)
            return try body(connection)
        }
    }
}
