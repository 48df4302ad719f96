import CSQLite

/// One row of a query result, read straight from the statement (`sqlite3_column_*`,
/// <https://www.sqlite.org/c3ref/column_blob.html>); valid only inside the closure that receives it.
package struct SQLiteRow: SQLRow {
    let statement: OpaquePointer

    /// The number of columns.
    package var count: Int { Int(sqlite3_column_count(statement)) }

    /// The value of the column at `index`, as SQLite stored it.
    package func value(at index: Int) -> SQLValue {
        let column = self.column(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(text(column))
        case SQLITE_BLOB: return .blob(blob(column))
        default: return .null
        }
    }

    /// The text of the column at `index`, or `nil` when it is NULL or not text.
    package func text(at index: Int) -> String? {
        let column = self.column(index)
        guard sqlite3_column_type(statement, column) == SQLITE_TEXT else { return nil }
        return text(column)
    }

    /// The column at `index` as a double (integers are converted), or `nil` when it is NULL or not a number.
    package func double(at index: Int) -> Double? {
        let column = self.column(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return Double(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return sqlite3_column_double(statement, column)
        default: return nil
        }
    }

    /// The column at `index` as an integer, or `nil` when it is NULL or not an integer.
    package func integer(at index: Int) -> Int64? {
        let column = self.column(index)
        guard sqlite3_column_type(statement, column) == SQLITE_INTEGER else { return nil }
        return sqlite3_column_int64(statement, column)
    }

    /// The C column index of `index`, which must be in range: reading past the last column is a programming
    /// error (SQLite leaves the result undefined).
    private func column(_ index: Int) -> Int32 {
        precondition(index >= 0 && index < count, "column index \(index) out of range")
        return Int32(index)
    }

    /// The UTF-8 text of a text column, decoded in place (`sqlite3_column_text` then `sqlite3_column_bytes`, the
    /// order the documentation prescribes).
    private func text(_ column: Int32) -> String {
        guard let characters = sqlite3_column_text(statement, column) else { return "" }
        let length = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: characters, count: length), as: UTF8.self)
    }

    /// The bytes of a blob column.
    private func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(statement, column) else { return [] }
        let length = Int(sqlite3_column_bytes(statement, column))
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: length))
    }
}

/// A row points into a statement that belongs to one thread's connection.
@available(*, unavailable)
extension SQLiteRow: Sendable {}
