/// One connection lent to a closure of a ``Database``: statements with `?` placeholders and ``SQLValue``
/// arguments, whatever the backend.
///
/// The connection must not escape the closure it is lent to, and is not `Sendable`.
package protocol Connection {
    /// The SQL dialect of the connection's backend.
    var dialect: Dialect { get }

    /// Runs a statement, skipping any rows it returns.
    /// - Parameters:
    ///   - sql: one SQL statement, with `?` placeholders.
    ///   - arguments: the values bound to the placeholders, in order.
    /// - Returns: the number of rows the statement inserted, updated or deleted.
    /// - Throws: ``PersistenceError`` when the database refuses the statement.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int

    /// Runs several statements without arguments, such as a schema script.
    /// - Throws: ``PersistenceError`` when the database refuses a statement.
    func executeScript(_ sql: String) async throws

    /// Runs a query and hands each row to `body`, in order.
    /// - Parameters:
    ///   - sql: one SQL query, with `?` placeholders.
    ///   - arguments: the values bound to the placeholders, in order.
    ///   - body: called once per row; the row is valid only during the call.
    /// - Throws: ``PersistenceError`` when the database refuses the query, or what `body` throws.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) async throws

    /// Runs a query and returns its first row's values, or `nil` when it has none.
    /// - Throws: ``PersistenceError`` when the database refuses the query.
    func firstRow(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLValue]?
}

extension Connection {
    /// Runs a statement without arguments.
    /// - Returns: the number of rows the statement inserted, updated or deleted.
    /// - Throws: ``PersistenceError`` when the database refuses the statement.
    @discardableResult
    package func execute(_ sql: String) async throws -> Int {
        try await execute(sql, [])
    }

    /// Runs a query without arguments and hands each row to `body`, in order.
    /// - Throws: ``PersistenceError`` when the database refuses the query, or what `body` throws.
    package func forEachRow(_ sql: String, _ body: (any SQLRow) throws -> Void) async throws {
        try await forEachRow(sql, [], body)
    }

    /// Runs a query without arguments and returns its first row's values, or `nil` when it has none.
    /// - Throws: ``PersistenceError`` when the database refuses the query.
    package func firstRow(_ sql: String) async throws -> [SQLValue]? {
        try await firstRow(sql, [])
    }
}
