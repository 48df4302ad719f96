import CSQLite

/// An error reported by SQLite, with its primary result code (<https://www.sqlite.org/rescode.html>).
///
/// The message is SQLite's own; bound arguments are never included, so no stored data leaks into logs.
package struct SQLiteError: Error, CustomStringConvertible {
    /// The kind of failure, by SQLite's primary result code.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        /// SQLite's primary result code (the low 8 bits of the extended code).
        package let rawValue: Int32

        /// A generic error, such as an SQL syntax error (`SQLITE_ERROR`).
        package static let error = Code(rawValue: 1)
        /// The database is locked by another connection (`SQLITE_BUSY`).
        package static let busy = Code(rawValue: 5)
        /// A UNIQUE, NOT NULL, CHECK or foreign key constraint failed (`SQLITE_CONSTRAINT`).
        package static let constraint = Code(rawValue: 19)
        /// The library was used incorrectly, such as several statements where one is expected (`SQLITE_MISUSE`).
        package static let misuse = Code(rawValue: 21)

        package var description: String { "SQLite error \(rawValue)" }
    }

    /// The primary result code.
    package let code: Code
    /// SQLite's extended result code (<https://www.sqlite.org/rescode.html#extrc>), or the primary one.
    package let extendedCode: Int32
    /// SQLite's message.
    package let message: String

    /// The error that the last failed call on `connection` left (`sqlite3_extended_errcode`, `sqlite3_errmsg`).
    init(connection: OpaquePointer?) {
        let extended = sqlite3_extended_errcode(connection)
        self.init(extendedCode: extended, message: sqlite3_errmsg(connection).map { String(cString: $0) })
    }

    /// An error for `resultCode`, with `message` or SQLite's description of the code.
    init(extendedCode: Int32, message: String?) {
        self.code = Code(rawValue: extendedCode & 0xFF)
        self.extendedCode = extendedCode
        self.message = message ?? sqlite3_errstr(extendedCode).map { String(cString: $0) } ?? "unknown SQLite error"
    }

    package init(code: Code, message: String) {
        self.code = code
        self.extendedCode = code.rawValue
        self.message = message
    }

    package var description: String { "\(code): \(message)" }
}
