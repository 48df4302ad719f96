import Logging
import NIOCore
import PostgresNIO

/// A PostgreSQL connection lent to a closure of ``PostgresDatabase``, speaking the portable SQL of ``Connection``:
/// `?` placeholders are numbered for PostgreSQL, ``SQLValue`` arguments are bound by type, and every statement is
/// sent with the extended protocol (parsed, bound and executed in one round trip).
struct PostgresSQLConnection: Connection {
    let connection: PostgresConnection
    let logger: Logger

    var dialect: Dialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int {
        let query = try Self.query(sql, arguments)
        return try await PersistenceError.mappingPostgres {
            let result: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
            return try await result.get().metadata.rows ?? 0
        }
    }

    func executeScript(_ sql: String) async throws {
        for statement in PostgresSQLText.statements(sql) {
            try await execute(statement, [])
        }
    }

    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) async throws {
        let query = try Self.query(sql, arguments)
        let rows = try await PersistenceError.mappingPostgres { try await connection.query(query, logger: logger) }
        try await PersistenceError.mappingPostgres {
            for try await row in rows { try body(PostgresRowValues(row)) }
        }
    }

    func firstRow(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLValue]? {
        var first: [SQLValue]?
        try await forEachRow(sql, arguments) { row in
            if first == nil { first = (0..<row.count).map { row.value(at: $0) } }
        }
        return first
    }

    /// The PostgreSQL query for portable `sql` and its arguments.
    /// - Throws: ``PersistenceError/Code/statementFailure`` when the placeholders and arguments do not agree.
    static func query(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQuery {
        let (numbered, count) = PostgresSQLText.numbered(sql)
        guard count == arguments.count else {
            throw PersistenceError(
                .statementFailure, "wrong number of statement arguments: \(arguments.count), expected \(count)")
        }
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: numbered, binds: bindings)
    }
}

/// A connection belongs to the closure it was lent to.
@available(*, unavailable)
extension PostgresSQLConnection: Sendable {}
