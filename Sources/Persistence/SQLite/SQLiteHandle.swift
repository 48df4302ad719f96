import CSQLite

/// One open SQLite connection (`sqlite3*`) and its cache of prepared statements.
///
/// `@unchecked Sendable` invariant: a handle is used by one thread at a time. It is either idle in the reader
/// pool (behind its mutex), checked out to exactly one synchronous caller, or owned by the writer thread; the
/// connection is opened with `SQLITE_OPEN_NOMUTEX` accordingly (<https://www.sqlite.org/threadsafe.html>).
final class SQLiteHandle: @unchecked Sendable {
    /// What a connection is for: the writer sets the journal mode; readers refuse writes (`query_only`).
    enum Role {
        case writer, reader
    }

    /// Statements kept prepared beyond this count are finalized after their single use, so that queries built
    /// from request data cannot grow the cache without bound.
    static let statementCacheLimit = 256

    /// The busy timeout, in milliseconds, before a locked database gives `SQLITE_BUSY`.
    static let busyTimeout: Int32 = 10_000

    /// Memory settings of every connection: temporary tables, sorters and statement journals stay in memory
    /// instead of files under the temporary folder (an ingest opened one per indexed instance); the database
    /// file is read through a shared memory map of up to 1 GiB instead of a `pread` per page missing from the
    /// connection's own cache; the page cache holds 16 MiB per connection instead of 2 MiB.
    static let memoryPragmas = "PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384"

    /// The `sqlite3*` connection.
    let pointer: OpaquePointer
    /// Prepared statements by SQL text.
    private var statements: [String: OpaquePointer] = [:]
    private var isClosed = false

    /// Opens the file at `path`, creating it if needed, configures the connection and registers `functions`.
    ///
    /// Every connection runs with `synchronous=FULL`, foreign keys enforced (`PRAGMA foreign_keys = ON`, as
    /// GRDB configured them), extended result codes and a busy timeout; the writer switches the file to WAL.
    /// - Throws: ``SQLiteError`` when the file cannot be opened or configured.
    init(path: String, role: Role, functions: [SQLFunction]) throws {
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &connection, flags, nil)
        guard status == SQLITE_OK, let connection else {
            let error =
                connection.map { SQLiteError(connection: $0) } ?? SQLiteError(extendedCode: status, message: nil)
            sqlite3_close_v2(connection)
            throw error
        }
        pointer = connection
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, Self.busyTimeout)
        do {
            switch role {
            case .writer:
                let mode = try firstRow("PRAGMA journal_mode = WAL", [])?.first
                guard mode == .text("wal") else {
                    throw SQLiteError(code: .error, message: "cannot switch the database to WAL mode")
                }
                try executeScript("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \(Self.memoryPragmas)")
            case .reader:
                try executeScript(
                    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA query_only = ON; \(Self.memoryPragmas)"
                )
            }
            for function in functions {
                try function.register(on: connection)
            }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Finalizes the cached statements and closes the connection; later calls do nothing.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        for statement in statements.values {
            sqlite3_finalize(statement)
        }
        statements = [:]
        sqlite3_close_v2(pointer)
    }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    var isInsideTransaction: Bool { sqlite3_get_autocommit(pointer) == 0 }

    /// Runs several statements without arguments (`sqlite3_exec`).
    /// - Throws: ``SQLiteError`` when SQLite refuses a statement.
    func executeScript(_ sql: String) throws {
        guard sqlite3_exec(pointer, sql, nil, nil, nil) == SQLITE_OK else {
            throw SQLiteError(connection: pointer)
        }
    }

    /// Runs one statement to completion, skipping any rows it returns.
    /// - Throws: ``SQLiteError`` when SQLite refuses the statement.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try withStatement(sql, arguments) { statement in
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW: continue
                case SQLITE_DONE: return
                default: throw SQLiteError(connection: pointer)
                }
            }
        }
    }

    /// Runs a query and hands each row to `body`.
    /// - Throws: ``SQLiteError`` when SQLite refuses the query, or what `body` throws.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLiteRow) throws -> Void) throws {
        try withStatement(sql, arguments) { statement in
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW: try body(SQLiteRow(statement: statement))
                case SQLITE_DONE: return
                default: throw SQLiteError(connection: pointer)
                }
            }
        }
    }

    /// The first row's values, or `nil` when the query returns no row.
    /// - Throws: ``SQLiteError`` when SQLite refuses the query.
    func firstRow(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLValue]? {
        try withStatement(sql, arguments) { statement in
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let row = SQLiteRow(statement: statement)
                return (0..<row.count).map { row.value(at: $0) }
            case SQLITE_DONE: return nil
            default: throw SQLiteError(connection: pointer)
            }
        }
    }

    /// Runs `body` with the statement for `sql`, `arguments` bound, then resets it (or finalizes it when it was
    /// not cached) whatever `body` did.
    private func withStatement<T>(
        _ sql: String, _ arguments: [SQLValue], _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        let (statement, isCached) = try statement(for: sql)
        defer {
            if isCached {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        try bind(arguments, to: statement)
        return try body(statement)
    }

    /// The cached statement for `sql`, or a fresh one when it is in use further up the stack (a nested query
    /// with the same text) or the cache is full.
    private func statement(for sql: String) throws -> (OpaquePointer, isCached: Bool) {
        if let statement = statements[sql] {
            if sqlite3_stmt_busy(statement) == 0 { return (statement, true) }
            return (try prepare(sql, persistent: false), false)
        }
        guard statements.count < Self.statementCacheLimit else { return (try prepare(sql, persistent: false), false) }
        let statement = try prepare(sql, persistent: true)
        statements[sql] = statement
        return (statement, true)
    }

    /// Prepares the single statement `sql` (`sqlite3_prepare_v3`, <https://www.sqlite.org/c3ref/prepare.html>).
    /// - Throws: ``SQLiteError``, with ``SQLiteError/Code/misuse`` when `sql` holds no or several statements.
    private func prepare(_ sql: String, persistent: Bool) throws -> OpaquePointer {
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        return try sql.withCString { text in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            guard sqlite3_prepare_v3(pointer, text, -1, flags, &statement, &tail) == SQLITE_OK else {
                throw SQLiteError(connection: pointer)
            }
            guard let statement else { throw SQLiteError(code: .misuse, message: "no SQL statement to prepare") }
            if let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                let status = sqlite3_prepare_v2(pointer, tail, -1, &next, nil)
                if status != SQLITE_OK || next != nil {
                    sqlite3_finalize(next)
                    sqlite3_finalize(statement)
                    throw SQLiteError(code: .misuse, message: "several SQL statements where one is expected")
                }
            }
            return statement
        }
    }

    /// Binds `arguments` to the placeholders of `statement`, in order; text and blobs are copied by SQLite
    /// (`SQLITE_TRANSIENT`).
    /// - Throws: ``SQLiteError`` when the count does not match or SQLite refuses a value.
    private func bind(_ arguments: [SQLValue], to statement: OpaquePointer) throws {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard arguments.count == expected else {
            throw SQLiteError(
                code: .misuse, message: "wrong number of statement arguments: \(arguments.count), expected \(expected)")
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch argument {
            case .null:
                status = sqlite3_bind_null(statement, index)
            case .integer(let value):
                status = sqlite3_bind_int64(statement, index, value)
            case .real(let value):
                status = sqlite3_bind_double(statement, index, value)
            case .text(var value):
                status = value.withUTF8 { buffer in
                    guard let base = buffer.baseAddress, !buffer.isEmpty else {
                        return sqlite3_bind_text64(statement, index, "", 0, SQLiteHandle.transient, UInt8(SQLITE_UTF8))
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { characters in
                        sqlite3_bind_text64(
                            statement, index, characters, UInt64(buffer.count), SQLiteHandle.transient,
                            UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let bytes):
                status = bytes.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress, !buffer.isEmpty else {
                        return sqlite3_bind_zeroblob(statement, index, 0)
                    }
                    return sqlite3_bind_blob64(statement, index, base, UInt64(buffer.count), SQLiteHandle.transient)
                }
            }
            guard status == SQLITE_OK else { throw SQLiteError(connection: pointer) }
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE … COMMIT` transaction, rolled back when it throws.
    /// - Throws: ``SQLiteError``, or what `body` throws.
    func transaction(_ body: () throws -> Void) throws {
        try execute("BEGIN IMMEDIATE", [])
        do {
            try body()
            try execute("COMMIT", [])
        } catch {
            if isInsideTransaction { try? execute("ROLLBACK", []) }
            throw error
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before the bind call returns. The C macro is the destructor
    /// pointer `-1`, which Swift does not import.
    static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
