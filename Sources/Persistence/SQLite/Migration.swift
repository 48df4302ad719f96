import GRDB

/// One step of a schema's history: an identifier, unique within its schema, and the SQL that applies it.
///
/// Migrations run in order, once each, inside a transaction; the applied identifiers are recorded in the
/// database itself, so a file opened by a newer Atrium is brought up to date and never migrated twice.
package struct Migration: Sendable {
    /// A stable identifier such as `"v1-entities"`; never renamed once released.
    package let identifier: String
    /// Applies the step.
    package let apply: @Sendable (SQLiteConnection) throws -> Void

    /// A migration that runs `sql`, which may hold several statements.
    package init(_ identifier: String, sql: String) {
        self.identifier = identifier
        self.apply = { connection in try connection.executeScript(sql) }
    }

    /// A migration that runs arbitrary statements.
    package init(_ identifier: String, apply: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.identifier = identifier
        self.apply = apply
    }
}

extension Array where Element == Migration {
    /// Applies the migrations not yet applied to `writer`.
    func run(on writer: some DatabaseWriter) throws {
        var migrator = DatabaseMigrator()
        for migration in self {
            migrator.registerMigration(migration.identifier) { database in
                try migration.apply(SQLiteConnection(database: database))
            }
        }
        do {
            try migrator.migrate(writer)
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }
}
