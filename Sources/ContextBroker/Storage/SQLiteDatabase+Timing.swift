import Persistence

extension SQLiteDatabase {
    /// `read`, adding the wait for a reading connection to the current request's timer (Orion's
    /// `dbConnectionPool` wait, statistics.md).
    func timedRead<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try timedReader(inTransaction: true, body)
    }

    /// `readSingleStatement`, adding the wait for a reading connection to the current request's timer.
    func timedReadSingleStatement<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try timedReader(inTransaction: false, body)
    }

    private func timedReader<T>(inTransaction: Bool, _ body: (SQLiteConnection) throws -> T) throws -> T {
        let timer = RequestTimer.current
        let start = timer.map { _ in ContinuousClock.now }
        func measured(_ connection: SQLiteConnection) throws -> T {
            if let timer, let start { timer.add(.connectionWait, ContinuousClock.now - start) }
            return try body(connection)
        }
        return inTransaction ? try read(measured) : try readSingleStatement(measured)
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
