import Persistence

extension Database {
    /// `read`, adding the wait for a reading connection to the current request's timer (Orion's
    /// `dbConnectionPool` wait, statistics.md).
    func timedRead<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await timedReader(inTransaction: true, body)
    }

    /// `readStatement`, adding the wait for a reading connection to the current request's timer.
    func timedReadStatement<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await timedReader(inTransaction: false, body)
    }

    private func timedReader<T>(inTransaction: Bool, _ body: (any Connection) async throws -> T) async throws -> T {
        let timer = RequestTimer.current
        let start = timer.map { _ in ContinuousClock.now }
        func measured(_ connection: any Connection) async throws -> T {
            if let timer, let start { timer.add(.connectionWait, ContinuousClock.now - start) }
            return try await body(connection)
        }
        return inTransaction ? try await read(measured) : try await readStatement(measured)
    }

    /// `write`, adding the wait for the writer to the current request's timer (Orion's `transaction` wait). The
    /// body may run on the writer's thread, so the timer is captured here rather than looked up there.
    func timedWrite<T: Sendable>(_ body: @escaping @Sendable (any Connection) async throws -> T) async throws -> T {
        guard let timer = RequestTimer.current else { return try await write(body) }
        let start = ContinuousClock.now
        return try await write { connection in
            timer.add(.transactionWait, ContinuousClock.now - start)
            return try await body(connection)
        }
    }
}
