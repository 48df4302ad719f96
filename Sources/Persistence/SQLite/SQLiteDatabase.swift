import Foundation

/// A SQLite database file in WAL mode: many concurrent readers, one writer, on SQLite's C API.
///
/// Durability: every connection runs with `synchronous=FULL`, so a transaction that `write` returned from has
/// reached the disk (SQLite's WAL documentation, §"Performance Considerations": with NORMAL a power loss may
/// roll back the last commits). Foreign keys are enforced on every connection (`PRAGMA foreign_keys = ON`), and
/// a connection that finds the file locked retries for ten seconds (`sqlite3_busy_timeout`). Faces never see
/// SQLite's C types: they pass closures that receive a ``SQLiteConnection``.
package final class SQLiteDatabase: Sendable {
    /// The most reader connections open at once.
    static let maximumReaderCount = 8

    private let readers: SQLiteReaderPool
    let writer: GroupCommitWriter

    /// The path of the database file.
    package let path: String

    /// Opens (creating it and its folder if needed) the database at `path` and applies `migrations`.
    /// - Parameters:
    ///   - path: the file path.
    ///   - migrations: the schema's migrations, in order.
    ///   - functions: SQL functions to register on every connection.
    /// - Throws: ``SQLiteError`` when the file cannot be opened or a migration fails.
    package init(path: String, migrations: [Migration], functions: [SQLFunction] = []) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let handle = try SQLiteHandle(path: path, role: .writer, functions: functions)
        try migrations.run(on: handle)
        writer = GroupCommitWriter(handle: handle)
        readers = SQLiteReaderPool(capacity: Self.maximumReaderCount) {
            try SQLiteHandle(path: path, role: .reader, functions: functions)
        }
        self.path = path
    }

    /// Runs `body` in a read transaction (`BEGIN` … `COMMIT`): it sees one consistent snapshot, concurrently with
    /// other readers and with the writer.
    ///
    /// The read runs on the calling thread: in WAL mode a reader never waits for the writer, and a pool of
    /// eight readers outnumbers the cooperative threads, so the call is short; it saves the thread hop of an
    /// asynchronous read (about 60 µs, swift-stack.md §4), which dominates a point lookup. A ninth concurrent
    /// caller waits for a reader to come back.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.withReader { handle in
            try handle.execute("BEGIN", [])
            let value: T
            do {
                value = try body(SQLiteConnection(handle: handle))
            } catch {
                if handle.isInsideTransaction { try? handle.execute("ROLLBACK", []) }
                throw error
            }
            try handle.execute("COMMIT", [])
            return value
        }
    }

    /// Runs `body`, which must issue a single query, on a reader without opening a transaction: the statement is
    /// its own snapshot, and the `BEGIN`/`COMMIT` pair (a sixth of a point lookup's cost) is saved.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func readSingleStatement<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.withReader { handle in try body(SQLiteConnection(handle: handle)) }
    }

    /// Runs `body` as one write: committed, durably, before this returns; rolled back to its own savepoint
    /// when it throws, so a failed request leaves nothing behind.
    ///
    /// Writes that arrive while a commit is in progress are committed together in the next transaction
    /// (group commit), each inside its own savepoint.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` on the writer outside any transaction, for statements such as `CREATE INDEX` that the
    /// caller wants committed on their own; it is serialized with the group commits.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        // Escaping: the writer thread may still hold the job for a moment after it resumed the caller.
        try await writer.writeWithoutTransaction(body)
    }
}
