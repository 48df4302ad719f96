import Foundation

/// A SQLite database file in WAL mode: many concurrent readers, one writer, on SQLite's C API.
///
/// Durability: every connection runs with `synchronous=FULL`, so a transaction that `write` returned from has
/// reached the disk (SQLite's WAL documentation, §"Performance Considerations": with NORMAL a power loss may
/// roll back the last commits). Foreign keys are enforced on every connection (`PRAGMA foreign_keys = ON`), and
/// a connection that finds the file locked retries for ten seconds (`sqlite3_busy_timeout`). Faces see it as a
/// ``Database``: closures receive a ``Connection``, and SQLite's errors reach them as ``PersistenceError``.
package final class SQLiteDatabase: Database {
    /// The most reader connections open at once.
    static let maximumReaderCount = 8

    private let readers: SQLiteReaderPool
    let writer: GroupCommitWriter

    package var dialect: Dialect { .sqlite }

    /// The path of the database file.
    package let path: String

    /// Opens (creating it and its folder if needed) the database at `path` and applies `migrations`.
    /// - Parameters:
    ///   - path: the file path.
    ///   - migrations: the schema's migrations, in order.
    ///   - functions: SQL functions to register on every connection.
    /// - Throws: ``PersistenceError`` when the file cannot be opened or a migration fails.
    package init(path: String, migrations: [Migration], functions: [SQLFunction] = []) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let handle = try PersistenceError.mapping {
            let handle = try SQLiteHandle(path: path, role: .writer, functions: functions)
            try migrations.run(on: handle)
            return handle
        }
        writer = GroupCommitWriter(handle: handle)
        readers = SQLiteReaderPool(capacity: Self.maximumReaderCount) {
            try SQLiteHandle(path: path, role: .reader, functions: functions)
        }
        self.path = path
    }

    /// Runs `body` in a read transaction (`BEGIN` … `COMMIT`) on a reader connection and its thread: it sees one
    /// consistent snapshot, concurrently with other readers and with the writer. A ninth concurrent caller
    /// waits, suspended, for a reader to come back.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    package func read<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await readers.withReader { handle in
            let connection = SQLiteConnection(handle: handle)
            try await connection.execute("BEGIN")
            let value: T
            do {
                value = try await body(connection)
            } catch {
                if handle.isInsideTransaction { try? handle.execute("ROLLBACK", []) }
                throw error
            }
            try await connection.execute("COMMIT")
            return value
        }
    }

    /// Runs `body`, which must issue a single query, on a reader without opening a transaction: the statement is
    /// its own snapshot, and the `BEGIN`/`COMMIT` pair (a sixth of a point lookup's cost) is saved.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    package func readStatement<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await readers.withReader { handle in try await body(SQLiteConnection(handle: handle)) }
    }

    /// Runs `body` as one write: committed, durably, before this returns; rolled back to its own savepoint
    /// when it throws, so a failed request leaves nothing behind.
    ///
    /// Writes that arrive while a commit is in progress are committed together in the next transaction
    /// (group commit), each inside its own savepoint.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    @discardableResult
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Connection) async throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` on the writer outside any transaction, for statements such as `CREATE INDEX` that the
    /// caller wants committed on their own; it is serialized with the group commits.
    /// - Throws: ``PersistenceError``, or what `body` throws.
    @discardableResult
    package func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Connection) async throws -> T
    ) async throws -> T {
        try await writer.writeWithoutTransaction(body)
    }

    /// Lets the writes in progress commit, then refuses new reads and writes; the connections close as they
    /// come back, and the writer's when the database is released.
    package func close() async {
        await writer.close()
        readers.close()
    }
}
