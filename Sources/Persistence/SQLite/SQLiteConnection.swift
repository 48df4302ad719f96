import CSQLite

/// One SQLite connection lent to a `read` or `write` closure of ``SQLiteDatabase``.
///
/// Statements are prepared once per connection and cached by their SQL text (`SQLITE_PREPARE_PERSISTENT`), so
/// a hot query costs only its bindings and its steps. The connection must not escape the closure it is lent
/// to, and is not `Sendable`: it belongs to the thread running that closure.
package struct SQLiteConnection {
    let handle: SQLiteHandle

    /// Runs a statement that returns no rows.
    /// - Parameters:
    ///   - sql: one SQL statement, with `?` placeholders.
    ///   - arguments: the values bound to the placeholders, in order.
    /// - Throws: ``SQLiteError`` when SQLite refuses the statement.
    package func execute(_ sql: String, _ arguments: [SQLValue] = []) throws {
        try handle.execute(sql, arguments)
    }

    /// Runs several statements without arguments, such as a migration script.
    /// - Throws: ``SQLiteError`` when SQLite refuses a statement.
    package func executeScript(_ sql: String) throws {
        try handle.executeScript(sql)
    }

    /// Runs a query and hands each row to `body`, in order.
    /// - Parameters:
    ///   - sql: one SQL query, with `?` placeholders.
    ///   - arguments: the values bound to the placeholders, in order.
    ///   - body: called once per row; the row is valid only during the call.
    /// - Throws: ``SQLiteError`` when SQLite refuses the query, or what `body` throws.
    package func forEachRow(
        _ sql: String,
        _ arguments: [SQLValue] = [],
        _ body: (SQLRow) throws -> Void
    ) throws {
        try handle.forEachRow(sql, arguments, body)
    }

    /// Runs a query and returns its first row's values, or `nil` when it has none.
    /// - Throws: ``SQLiteError`` when SQLite refuses the query.
    package func firstRow(_ sql: String, _ arguments: [SQLValue] = []) throws -> [SQLValue]? {
        try handle.firstRow(sql, arguments)
    }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE (`sqlite3_changes`).
    package var changesCount: Int { Int(sqlite3_changes(handle.pointer)) }

    /// The rowid of the last inserted row (`sqlite3_last_insert_rowid`).
    package var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle.pointer) }
}

/// A connection belongs to the thread running the closure it was lent to.
@available(*, unavailable)
extension SQLiteConnection: Sendable {}
