import CSQLite

/// One SQLite connection lent to a closure of ``SQLiteDatabase``, or to a ``Migration``.
///
/// Statements are prepared once per connection and cached by their SQL text (`SQLITE_PREPARE_PERSISTENT`), so
/// a hot query costs only its bindings and its steps. The methods are synchronous: the database runs the
/// closure on the thread that owns the connection, never on a thread of Swift's cooperative pool, and they
/// satisfy the asynchronous requirements of ``Connection`` without a suspension. The connection must not escape
/// the closure it is lent to.
package struct SQLiteConnection: Connection {
    let handle: SQLiteHandle

    package var dialect: Dialect { .sqlite }

    /// Runs a statement, skipping any rows it returns.
    /// - Returns: the number of rows changed by the statement when it is an INSERT, UPDATE or DELETE
    ///   (`sqlite3_changes`), otherwise 0.
    /// - Throws: ``PersistenceError`` when SQLite refuses the statement.
    @discardableResult
    package func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try PersistenceError.mapping {
            let before = sqlite3_total_changes64(handle.pointer)
            try handle.execute(sql, arguments)
            // `sqlite3_changes` keeps the count of the last data change: a statement that changes nothing
            // must not report it, so count only when the total moved.
            return sqlite3_total_changes64(handle.pointer) == before ? 0 : Int(sqlite3_changes64(handle.pointer))
        }
    }

    /// Runs several statements without arguments, such as a migration script.
    /// - Throws: ``PersistenceError`` when SQLite refuses a statement.
    package func executeScript(_ sql: String) throws {
        try PersistenceError.mapping { try handle.executeScript(sql) }
    }

    /// Runs a query and hands each row to `body`, in order.
    /// - Throws: ``PersistenceError`` when SQLite refuses the query, or what `body` throws.
    package func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
        try PersistenceError.mapping { try handle.forEachRow(sql, arguments) { row in try body(row) } }
    }

    /// Runs a query and returns its first row's values, or `nil` when it has none.
    /// - Throws: ``PersistenceError`` when SQLite refuses the query.
    package func firstRow(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLValue]? {
        try PersistenceError.mapping { try handle.firstRow(sql, arguments) }
    }
}

/// A connection belongs to the thread running the closure it was lent to.
@available(*, unavailable)
extension SQLiteConnection: Sendable {}
