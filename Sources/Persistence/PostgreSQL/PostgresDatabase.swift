import Foundation
package import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// A PostgreSQL database reached through postgres-nio's connection pool: the ``Database`` of the faces when the
/// configuration names a PostgreSQL server, so that several Atrium nodes can share one database.
///
/// Reads run in `REPEATABLE READ READ ONLY` transactions (one snapshot for the whole read, as SQLite's WAL
/// readers have); writes in `REPEATABLE READ` ones by default, so that two nodes writing the same rows make
/// one of them fail with ``PersistenceError/Code/serializationFailure``, which the caller may replay. A commit
/// returns once the server has made it durable (`synchronous_commit` as the server sets it). The pool's
/// connections live while ``run()`` runs: start it in the process's service group.
package final class PostgresDatabase: Database, Service {
    /// Where the server is and how to log in.
    package struct Configuration: Sendable {
        package var host: String
        package var port: Int
        package var username: String
        package var password: String?
        package var database: String
        /// The most connections the pool opens (Orthanc's `IndexConnectionsCount`, Orion's `-dbPoolSize`).
        package var maximumConnections: Int
        /// The isolation of write transactions.
        package var writeIsolation: WriteIsolation
        /// The schema that unqualified names resolve to (`search_path`), or `nil` for the server's default:
        /// one schema per tenant, or per test.
        package var schema: String?

        /// The configuration of a `postgresql://user:password@host:port/database` URL (libpq's form; the user
        /// name and password percent-encoded), or `nil` when it is not one.
        package init?(url: String, maximumConnections: Int = 10) {
            guard let components = URLComponents(string: url),
                components.scheme == "postgresql" || components.scheme == "postgres",
                let host = components.host, !host.isEmpty
            else { return nil }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            self.init(
                host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                password: components.password, database: database.isEmpty ? "postgres" : database,
                maximumConnections: maximumConnections)
        }

        package init(
            host: String, port: Int = 5432, username: String, password: String?, database: String,
            maximumConnections: Int = 10, writeIsolation: WriteIsolation = .repeatableRead, schema: String? = nil
        ) {
            self.schema = schema
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.maximumConnections = maximumConnections
            self.writeIsolation = writeIsolation
        }
    }

    /// The isolation level of write transactions (<https://www.postgresql.org/docs/current/transaction-iso.html>).
    package enum WriteIsolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    private let client: PostgresClient
    private let logger: Logger
    private let writeIsolation: WriteIsolation
    private let isClosed = Mutex(false)

    package var dialect: Dialect { .postgres }

    /// Prepares the pool; no connection is opened before ``run()`` runs and a request needs one.
    package init(configuration: Configuration, logger: Logger) {
        var client = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        client.options.maximumConnections = max(1, configuration.maximumConnections)
        client.options.connectTimeout = .seconds(5)
        if let schema = configuration.schema {
            // A run-time parameter in the startup message applies to the whole session of every connection.
            client.options.additionalStartupParameters = [("search_path", schema)]
        }
        self.client = PostgresClient(configuration: client, backgroundLogger: logger)
        self.logger = logger
        self.writeIsolation = configuration.writeIsolation
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down gracefully.
    package func run() async throws {
        await client.run()
    }

    package func read<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    package func readStatement<T>(_ body: (any Connection) async throws -> T) async throws -> T {
        try await withConnection { connection in try await body(connection) }
    }

    @discardableResult
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Connection) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL \(writeIsolation.rawValue)", body)
    }

    @discardableResult
    package func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Connection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in try await body(connection) }
    }

    /// Refuses new reads and writes; the pool's connections close when ``run()`` ends.
    package func close() async {
        isClosed.withLock { $0 = true }
    }

    /// Runs `body` between `begin` and `COMMIT`, rolling back when it throws.
    private func transaction<T>(_ begin: String, _ body: (any Connection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.execute(begin, [])
            let value: T
            do {
                value = try await body(connection)
            } catch {
                _ = try? await connection.execute("ROLLBACK", [])
                throw error
            }
            try await connection.execute("COMMIT", [])
            return value
        }
    }

    /// Leases a pooled connection for `body`.
    private func withConnection<T>(_ body: (PostgresSQLConnection) async throws -> T) async throws -> T {
        guard !isClosed.withLock({ $0 }) else { throw PersistenceError(.unavailable, "the database is closed") }
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await body(PostgresSQLConnection(connection: connection, logger: logger))
            }
        } catch let error as PSQLError {
            throw PersistenceError(error)
        }
    }
}
