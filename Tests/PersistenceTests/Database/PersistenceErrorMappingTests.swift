import Testing

@testable import Persistence

@Suite struct PersistenceErrorMappingTests {
    @Test(arguments: [
        (Int32(2067), PersistenceError.Code.uniqueViolation),  // SQLITE_CONSTRAINT_UNIQUE
        (1555, .uniqueViolation),  // SQLITE_CONSTRAINT_PRIMARYKEY
        (787, .constraintViolation),  // SQLITE_CONSTRAINT_FOREIGNKEY
        (1299, .constraintViolation),  // SQLITE_CONSTRAINT_NOTNULL
        (5, .serializationFailure),  // SQLITE_BUSY
        (517, .serializationFailure),  // SQLITE_BUSY_SNAPSHOT
        (6, .serializationFailure),  // SQLITE_LOCKED
        (8, .unavailable),  // SQLITE_READONLY
        (10, .unavailable),  // SQLITE_IOERR
        (13, .unavailable),  // SQLITE_FULL
        (14, .unavailable),  // SQLITE_CANTOPEN
        (11, .unavailable),  // SQLITE_CORRUPT
        (1, .statementFailure),  // SQLITE_ERROR
        (21, .statementFailure),  // SQLITE_MISUSE
    ])
    func sqliteCodesMapToBackendNeutralCodes(extendedCode: Int32, expected: PersistenceError.Code) {
        let sqlite = SQLiteError(extendedCode: extendedCode, message: "message")
        let error = PersistenceError(sqlite)
        #expect(error.code == expected)
        #expect(error.message == "message")
        #expect((error.cause as? SQLiteError)?.extendedCode == extendedCode)
    }

    @Test func onlySQLiteErrorsAreMapped() throws {
        struct Other: Error {}
        #expect(throws: Other.self) { try PersistenceError.mapping { throw Other() } }
        let mapped = #expect(throws: PersistenceError.self) {
            try PersistenceError.mapping { throw SQLiteError(code: .busy, message: "locked") }
        }
        #expect(mapped?.code == .serializationFailure)
    }
}
