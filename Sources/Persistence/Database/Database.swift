/// A database of one backend (SQLite, PostgreSQL), as the faces see it: asynchronous read and write
/// transactions over a ``Connection``, whatever the driver underneath.
///
/// A closure receives a connection that is valid only while it runs and must not escape it. Every error a
/// backend reports reaches the closure's caller as a ``PersistenceError`` with a backend-neutral code
/// (``PersistenceError/Code/uniqueViolation``, ``PersistenceError/Code/serializationFailure``, …).
package protocol Database: Sendable {
    /// The SQL dialect of the backend.
    var dialect: Dialect { get }

    /// Runs `body` in a read-only transaction: it sees one consistent snapshot, concurrently with other readers
    /// and with writers.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    func read<T>(_ body: (any Connection) async throws -> T) async throws -> T

    /// Runs `body`, which must issue a single query, outside any transaction: the statement is its own
    /// snapshot, and a point lookup saves the `BEGIN`/`COMMIT` round trips.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    func readStatement<T>(_ body: (any Connection) async throws -> T) async throws -> T

    /// Runs `body` as one write transaction: committed durably before this returns, and rolled back, leaving
    /// nothing behind, when `body` throws.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any Connection) async throws -> T) async throws -> T

    /// Runs `body` outside any transaction on a writing connection, for statements such as `CREATE INDEX` that
    /// the caller wants committed on their own.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    @discardableResult
    func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Connection) async throws -> T
    ) async throws -> T

    /// Finishes the writes in progress and closes every connection; later calls fail with
    /// ``PersistenceError/Code/unavailable``.
    func close() async
}
