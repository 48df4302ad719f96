/// One step of a schema's history: an identifier, unique within its schema, and the SQL that applies it.
///
/// Migrations run in order, once each, inside a transaction; the applied identifiers are recorded in the
/// database itself (table `atrium_migrations`), so a file opened by a newer Atrium is brought up to date and
/// never migrated twice.
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
    /// Applies to the writer `handle` the migrations not yet applied, each in its own `BEGIN IMMEDIATE`
    /// transaction together with its record.
    ///
    /// A file written by earlier Atrium versions keeps its applied identifiers in `grdb_migrations`; they are
    /// copied into `atrium_migrations` once, in the transaction that creates that table.
    /// - Throws: ``SQLiteError``, or what a migration throws; the failing migration is rolled back.
    func run(on handle: SQLiteHandle) throws {
        try handle.transaction {
            let exists = try handle.firstRow(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'atrium_migrations'", [])
            guard exists == nil else { return }
            try handle.execute("CREATE TABLE atrium_migrations (identifier TEXT PRIMARY KEY)", [])
            let legacy = try handle.firstRow(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'", [])
            if legacy != nil {
                try handle.execute(
                    "INSERT INTO atrium_migrations (identifier) SELECT identifier FROM grdb_migrations", [])
            }
        }
        var applied: Set<String> = []
        try handle.forEachRow("SELECT identifier FROM atrium_migrations", []) { row in
            if let identifier = row.text(at: 0) { applied.insert(identifier) }
        }
        for migration in self where !applied.contains(migration.identifier) {
            try handle.transaction {
                try migration.apply(SQLiteConnection(handle: handle))
                try handle.execute(
                    "INSERT INTO atrium_migrations (identifier) VALUES (?)", [.text(migration.identifier)])
            }
        }
    }
}
