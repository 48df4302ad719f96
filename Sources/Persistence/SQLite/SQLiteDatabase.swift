import Foundation
import GRDB

/// A SQLite database file in WAL mode: many concurrent readers, one writer.
///
/// Durability: every connection runs with `synchronous=FULL`, so a transaction that `write` returned from has
/// reached the disk (SQLite's WAL documentation, §"Performance Considerations": with NORMAL a power loss may
/// roll back the last commits). Faces never see GRDB: they pass closures that receive a ``SQLiteConnection``.
package final class SQLiteDatabase: Sendable {
    private let pool: DatabasePool

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
        self.path = path
    }

    /// Runs `body` in a read transaction: it sees one consistent snapshot, concurrently with other readers and
    /// with the writer.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func read<T: Sendable>(_ body: @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await pool.read { database in try body(SQLiteConnection(database: database)) }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }

    /// Runs `body` in a write transaction, committed when it returns and rolled back when it throws: a failed
    /// request leaves nothing behind.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    package func write<T: Sendable>(_ body: @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        do {
            return try await pool.write { database in try body(SQLiteConnection(database: database)) }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
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
