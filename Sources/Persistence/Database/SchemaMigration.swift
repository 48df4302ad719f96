/// One step of a schema's history on any backend: an identifier, unique within its schema and never renamed
/// once released, and the statements that apply it, written for the database's dialect.
///
/// ``Database/migrate(_:)`` applies the steps not yet applied, in order, and records them in the database
/// itself (table `atrium_migrations`). SQLite files keep using ``Migration``, applied when the file opens.
package struct SchemaMigration: Sendable {
    package let identifier: String
    /// The statements of the step, separated by semicolons.
    package let script: String

    package init(_ identifier: String, script: String) {
        self.identifier = identifier
        self.script = script
    }
}

extension Database {
    /// Applies the steps of `migrations` not yet applied, all in one write transaction with their records.
    ///
    /// On PostgreSQL the transaction first takes an advisory lock, so that nodes starting together migrate one
    /// after the other: the later ones find the steps applied and do nothing.
    /// - Throws: ``PersistenceError``; nothing of the migration is applied then.
    package func migrate(_ migrations: [SchemaMigration]) async throws {
        let isPostgres = dialect == .postgres
        try await write { connection in
            if isPostgres {
                // Any constant names the lock; this one spells "atrium" in ASCII.
                try await connection.execute("SELECT pg_advisory_xact_lock(?)", [.integer(0x61_74_72_69_75_6D)])
            }
            try await connection.execute("CREATE TABLE IF NOT EXISTS atrium_migrations (identifier TEXT PRIMARY KEY)")
            let applied = Set(try await connection.texts("SELECT identifier FROM atrium_migrations"))
            for migration in migrations where !applied.contains(migration.identifier) {
                try await connection.executeScript(migration.script)
                try await connection.execute(
                    "INSERT INTO atrium_migrations (identifier) VALUES (?)", [.text(migration.identifier)])
            }
        }
    }
}
