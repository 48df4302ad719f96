import Foundation
import GRDB

/// One SQLite connection lent to a `read` or `write` closure of ``SQLiteDatabase``.
///
/// Statements are prepared once per connection and cached (`cachedStatement`), so a hot query costs only its
/// bindings and its steps. The connection must not escape the closure it is lent to.
package struct SQLiteConnection {
    let database: Database

    /// Runs a statement that returns no rows.
    /// - Parameters:
    ///   - sql: one SQL statement, with `?` placeholders.
    ///   - arguments: the values bound to the placeholders, in order.
    /// - Throws: ``SQLiteError`` when SQLite refuses the statement.
    package func execute(_ sql: String, _ arguments: [SQLValue] = []) throws {
        do {
            let statement = try database.cachedStatement(sql: sql)
            try statement.execute(arguments: StatementArguments(arguments.map(\.databaseValue)))
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }

    /// Runs several statements without arguments, such as a migration script.
    /// - Throws: ``SQLiteError`` when SQLite refuses a statement.
    package func executeScript(_ sql: String) throws {
        do {
            try database.execute(sql: sql)
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
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
        do {
            let statement = try database.cachedStatement(sql: sql)
            let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map(\.databaseValue)))
            while let row = try cursor.next() {
                try body(SQLRow(row: row))
            }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
    }

    /// Runs a query and returns its first row's values, or `nil` when it has none.
    /// - Throws: ``SQLiteError`` when SQLite refuses the query.
    package func firstRow(_ sql: String, _ arguments: [SQLValue] = []) throws -> [SQLValue]? {
        var result: [SQLValue]?
        do {
            let statement = try database.cachedStatement(sql: sql)
            if let row = try Row.fetchOne(statement, arguments: StatementArguments(arguments.map(\.databaseValue))) {
                result = (0..<row.count).map { SQLRow(row: row).value(at: $0) }
            }
        } catch let error as DatabaseError {
            throw SQLiteError(error)
        }
        return result
    }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE.
    package var changesCount: Int { database.changesCount }

    /// The rowid of the last inserted row.
    package var lastInsertedRowID: Int64 { database.lastInsertedRowID }
}

/// One row of a query result, valid only inside the closure that receives it.
package struct SQLRow {
    let row: Row

    /// The number of columns.
    package var count: Int { row.count }

    /// The value of the column at `index`, as SQLite stored it.
    package func value(at index: Int) -> SQLValue {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .double(let double): return .real(double)
        case .string(let string): return .text(string)
        case .blob(let data): return .blob([UInt8](data))
        }
    }

    /// The text of the column at `index`, or `nil` when it is NULL or not text.
    package func text(at index: Int) -> String? {
        let value: DatabaseValue = row[index]
        if case .string(let string) = value.storage { return string }
        return nil
    }

    /// The column at `index` as a double (integers are converted), or `nil` when it is NULL or not a number.
    package func double(at index: Int) -> Double? {
        let value: DatabaseValue = row[index]
        switch value.storage {
        case .int64(let integer): return Double(integer)
        case .double(let double): return double
        default: return nil
        }
    }

    /// The column at `index` as an integer, or `nil` when it is NULL or not an integer.
    package func integer(at index: Int) -> Int64? {
        let value: DatabaseValue = row[index]
        if case .int64(let integer) = value.storage { return integer }
        return nil
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let value): return value.databaseValue
        case .real(let value): return value.databaseValue
        case .text(let value): return value.databaseValue
        case .blob(let bytes): return Data(bytes).databaseValue
        }
    }
}
