/// An error of the persistence layer: the storage area or the database.
///
/// `description` names the operation and never the contents or paths of stored data.
package struct PersistenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case cannotWriteFile, inexistentFile, corruptedFile, cannotReadFile, corruptedRecord
            case uniqueViolation, constraintViolation, serializationFailure, unavailable, statementFailure
        }
        private let kind: Kind

        /// A file of the storage area could not be created, written, synced or renamed.
        package static let cannotWriteFile = Code(kind: .cannotWriteFile)
        /// The requested file is not in the storage area.
        package static let inexistentFile = Code(kind: .inexistentFile)
        /// A stored file does not decode (bad compression header or stream).
        package static let corruptedFile = Code(kind: .corruptedFile)
        /// A stored file exists but could not be read.
        package static let cannotReadFile = Code(kind: .cannotReadFile)
        /// A database row does not decode into what its table holds.
        package static let corruptedRecord = Code(kind: .corruptedRecord)
        /// A write would duplicate a unique key (SQLite `SQLITE_CONSTRAINT_UNIQUE`, PostgreSQL `23505`).
        package static let uniqueViolation = Code(kind: .uniqueViolation)
        /// A write breaks another constraint: foreign key, NOT NULL, CHECK.
        package static let constraintViolation = Code(kind: .constraintViolation)
        /// The transaction conflicted with a concurrent one and may succeed when replayed (SQLite `SQLITE_BUSY`,
        /// PostgreSQL `40001` and `40P01`).
        package static let serializationFailure = Code(kind: .serializationFailure)
        /// The database cannot be reached or used: closed, disconnected, out of space, unreadable.
        package static let unavailable = Code(kind: .unavailable)
        /// The database refused a statement (a syntax error, a missing table): a defect, not a condition.
        package static let statementFailure = Code(kind: .statementFailure)

        package var description: String {
            switch kind {
            case .cannotWriteFile: "cannot write file"
            case .inexistentFile: "inexistent file"
            case .corruptedFile: "corrupted file"
            case .cannotReadFile: "cannot read file"
            case .corruptedRecord: "corrupted record"
            case .uniqueViolation: "unique violation"
            case .constraintViolation: "constraint violation"
            case .serializationFailure: "serialization failure"
            case .unavailable: "database unavailable"
            case .statementFailure: "statement failure"
            }
        }
    }

    package let code: Code
    package let message: String
    package let cause: (any Error & Sendable)?
    package let file: String
    package let line: Int

    package init(
        _ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.file = file
        self.line = line
    }

    package var description: String { "\(code): \(message)" }

    package static func == (lhs: PersistenceError, rhs: PersistenceError) -> Bool { lhs.code == rhs.code }
}
