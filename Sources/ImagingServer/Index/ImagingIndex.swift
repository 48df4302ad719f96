package import Persistence

/// The SQLite index of the imaging server: resources keyed by Orthanc IDs, their main tags, identifiers,
/// metadata, attachments and labels, the changes log, the exports log and global counters.
///
/// It runs on Persistence's ``SQLiteDatabase`` (WAL, `synchronous=FULL`): reads run concurrently with the single
/// writer, and its group-committed writes let concurrent uploads share one durable commit.
package final class ImagingIndex: Sendable {
    package let database: SQLiteDatabase

    /// Opens (creating if needed) the index file at `path` and brings its schema up to date.
    /// - Throws: `SQLiteError` if the file cannot be opened or migrated.
    package init(path: String) throws {
        database = try SQLiteDatabase(path: path, migrations: Self.migrations)
    }

    /// Runs a read-only closure on a reader connection.
    package func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try database.read(body)
    }

    /// Runs a closure that executes one SQL statement on a reader connection, without `BEGIN … COMMIT`: one
    /// statement reads one snapshot on its own.
    package func readOneStatement<T: Sendable>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try database.readSingleStatement(body)
    }

    /// Runs a write in the next group commit: acknowledged once it is durable, rolled back alone if it throws.
    package func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await database.write(body)
    }
}
