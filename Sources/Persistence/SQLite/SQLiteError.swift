import GRDB

/// An error reported by SQLite, with its primary result code (<https://www.sqlite.org/rescode.html>).
///
/// The message is SQLite's own; bound arguments are never included, so no stored data leaks into logs.
package struct SQLiteError: Error, CustomStringConvertible {
    /// The kind of failure, by SQLite's primary result code.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        /// SQLite's primary result code (the low 8 bits of the extended code).
        package let rawValue: Int32

        /// A UNIQUE, NOT NULL, CHECK or foreign key constraint failed (`SQLITE_CONSTRAINT`).
        package static let constraint = Code(rawValue: 19)
        /// The database is locked by another connection (`SQLITE_BUSY`).
        package static let busy = Code(rawValue: 5)

        package var description: String { "SQLite error \(rawValue)" }
    }

    /// The primary result code.
    package let code: Code
    /// SQLite's message.
    package let message: String

    init(_ error: DatabaseError) {
        self.code = Code(rawValue: error.resultCode.primaryResultCode.rawValue)
        self.message = error.message ?? "unknown SQLite error"
    }

    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(code): \(message)" }
}
