extension PersistenceError {
    /// The backend-neutral error for an error SQLite reported (<https://www.sqlite.org/rescode.html>); SQLite's
    /// message is kept, and the original error is its cause.
    init(_ error: SQLiteError, file: String = #fileID, line: Int = #line) {
        let code: Code
        switch error.extendedCode {
        case 2067, 1555:  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
            code = .uniqueViolation
        default:
            switch error.code.rawValue {
            case 19: code = .constraintViolation  // SQLITE_CONSTRAINT
            case 5, 6: code = .serializationFailure  // SQLITE_BUSY, SQLITE_LOCKED
            case 8, 10, 11, 13, 14, 26: code = .unavailable  // READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB
            default: code = .statementFailure
            }
        }
        self.init(code, error.message, cause: error, file: file, line: line)
    }

    /// Runs `body`, turning a ``SQLiteError`` it throws into a ``PersistenceError``; other errors pass unchanged.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw PersistenceError(error)
        }
    }
}
