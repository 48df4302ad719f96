extension Database {
    /// Runs `body` as one write transaction, replaying it from the start when it conflicted with a concurrent
    /// writer (a serialization failure, or a unique key that another transaction inserted first, which the
    /// replay then finds), waiting 100 ms longer before each replay, up to `maximumReplays` times; the last
    /// error then goes to the caller. For databases shared by several writers (Orthanc's transaction replay).
    /// - Throws: ``PersistenceError``, or what `body` throws.
    @discardableResult
    package func write<T: Sendable>(
        replaying maximumReplays: Int, _ body: @escaping @Sendable (any Connection) async throws -> T
    ) async throws -> T {
        var replays = 0
        while true {
            do {
                return try await write(body)
            } catch let error as PersistenceError
                where replays < maximumReplays
                && (error.code == .serializationFailure || error.code == .uniqueViolation)
            {
                replays += 1
                try await Task.sleep(for: .milliseconds(100 * replays))
            }
        }
    }
}
