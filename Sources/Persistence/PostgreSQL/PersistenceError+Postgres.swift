import PostgresNIO

extension PersistenceError {
    /// The backend-neutral error for an error of PostgreSQL or of its driver: the server's SQLSTATE class
    /// (<https://www.postgresql.org/docs/current/errcodes-appendix.html>) decides the code, a lost or refused
    /// connection is ``Code/unavailable``. The server's message is kept; bound values never are.
    init(_ error: PSQLError, file: String = #fileID, line: Int = #line) {
        guard let info = error.serverInfo, let state = info[.sqlState] else {
            self.init(.unavailable, "PostgreSQL: \(error.code)", cause: error, file: file, line: line)
            return
        }
        self.init(
            Self.code(sqlState: state), "PostgreSQL \(state): \(info[.message] ?? "")", cause: error, file: file,
            line: line)
    }

    /// The code for a SQLSTATE.
    static func code(sqlState state: String) -> Code {
        switch state {
        case "23505": return .uniqueViolation
        case "40001", "40P01": return .serializationFailure  // serialization_failure, deadlock_detected
        case "25006": return .unavailable  // read_only_sql_transaction, a standby
        default: break
        }
        switch state.prefix(2) {
        case "23": return .constraintViolation
        // Connection exceptions, insufficient resources, operator intervention (shutdown), system errors.
        case "08", "53", "57", "58": return .unavailable
        default: return .statementFailure
        }
    }

    /// Runs `body`, turning a ``PSQLError`` it throws into a ``PersistenceError``; other errors pass unchanged.
    static func mappingPostgres<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw PersistenceError(error)
        }
    }
}
