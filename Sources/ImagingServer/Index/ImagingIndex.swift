package import Persistence

/// The SQLite index of the imaging server: resources keyed by Orthanc IDs, their main tags, identifiers,
/// metadata, attachments and labels, the changes log, the exports log and global counters.
///
/// It runs on a Persistence ``Database``, by default a ``SQLiteDatabase`` (WAL, `synchronous=FULL`): reads run concurrently with the single
/// writer, and its group-committed writes let concurrent uploads share one durable commit.
package final class ImagingIndex: Sendable {
    package let database: any Database
    /// How many times a write that conflicted with a concurrent one is replayed (`MaximumConnectionRetries`).
    package let maximumReplays: Int

    /// Opens (creating if needed) the SQLite index file at `path` and brings its schema up to date.
    /// - Throws: ``PersistenceError`` if the file cannot be opened or migrated.
    package init(path: String) throws {
        database = try SQLiteDatabase(path: path, migrations: Self.migrations)
        maximumReplays = 0
    }

    /// An index on `database`, which must be a PostgreSQL database (a SQLite index opens by its path): its
    /// schema is brought up to date first, one node at a time when several start together.
    /// - Throws: ``PersistenceError`` if the schema cannot be migrated.
    /// - Parameter maximumReplays: how many times a write that conflicted with a concurrent one is replayed.
    package init(database: any Database, maximumReplays: Int = 10) async throws {
        if database.dialect == .postgres { try await database.migrate(Self.postgresMigrations) }
        self.database = database
        self.maximumReplays = maximumReplays
    }

    /// Runs a read-only closure in one read transaction.
    package func read<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await database.read(body)
    }

    /// Runs a closure that executes one SQL statement on a reader connection, without `BEGIN … COMMIT`: one
    /// statement reads one snapshot on its own.
    package func readOneStatement<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await database.readStatement(body)
    }

    /// Runs a write in one transaction: acknowledged once it is durable, rolled back alone if it throws; on a
    /// database shared by several writers, replayed up to ``maximumReplays`` times when it conflicted with a
    /// concurrent one (``Persistence/Database/write(replaying:_:)``), after which its error answers 503.
    @discardableResult
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Connection) async throws -> T) async throws -> T {
        try await database.write(replaying: maximumReplays, body)
    }
}
