import Foundation
import GRDB

/// A SQLite database file in WAL mode: many concurrent readers, one writer.
///
/// Durability: every connection runs with `synchronous=FULL`, so a transaction that `write` returned from has
/// reached the disk (SQLite's WAL documentation, §"Performance Considerations": with NORMAL a power loss may
/// roll back the last commits). Faces never see GRDB: they pass closures that receive a ``SQLiteConnection``.
package final class SQLiteDatabase: Sendable {
    private let pool: DatabasePool
    private let writer: GroupCommitWriter

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
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { database in
            try database.execute(sql: "PRAGMA synchronous = FULL")
            for function in functions {
                database.add(function: function.databaseFunction)
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try migrations.run(on: pool)
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
        writer = GroupCommitWriter(pool: pool)
        self.path = path
    }

    /// Runs `body` in a read transaction: it sees one consistent snapshot, concurrently with other readers and
    /// with the writer.
    ///
    /// The read runs on the calling thread: in WAL mode a reader never waits for the writer, and a pool of
    /// eight readers outnumbers the cooperative threads, so the call is short; it saves the thread hop of an
    /// asynchronous read (about 60 µs, swift-stack.md §4), which dominates a point lookup.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            return try pool.read { database in try body(SQLiteConnection(database: database)) }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }

    /// Runs `body`, which must issue a single query, on a reader without opening a transaction: the statement is
    /// its own snapshot, and the `BEGIN`/`COMMIT` pair (a sixth of a point lookup's cost) is saved.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func readSingleStatement<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            return try pool.unsafeRead { database in try body(SQLiteConnection(database: database)) }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }

    /// Runs `body` as one write: committed, durably, before this returns; rolled back to its own savepoint
    /// when it throws, so a failed request leaves nothing behind.
    ///
    /// Writes that arrive while a commit is in progress are committed together in the next transaction
    /// (group commit), each inside its own savepoint.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.write { database in try body(SQLiteConnection(database: database)) }
    }

    /// Runs `body` on the writer outside any transaction, for statements such as `CREATE INDEX` that the
    /// caller wants committed on their own.
    package func writeWithoutTransaction<T: Sendable>(
        _ body: @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { database in
                try body(SQLiteConnection(database: database))
            }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }
}
