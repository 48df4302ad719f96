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
/// returns once the server has made it durable (`synchronous_commit` as the server sets it). The pool runs from
/// the start; as a `Service` in the process's service group, the database closes it at shutdown.
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
    /// Runs the pool from the start, so that a face can migrate and read while the process starts.
    private let pool: Task<Void, Never>
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
        let pooled = PostgresClient(configuration: client, backgroundLogger: logger)
        self.client = pooled
        self.pool = Task { await pooled.run() }
        self.logger = logger
        self.writeIsolation = configuration.writeIsolation
    }

    deinit { pool.cancel() }

    /// Waits for the service group to shut down (or the task to be cancelled), then closes the pool's
    /// connections: the database stops after the services that use it.
    package func run() async throws {
        try? await gracefulShutdown()
        await close()
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

    /// Refuses new reads and writes and closes the pool's connections.
    package func close() async {
        isClosed.withLock { $0 = true }
        pool.cancel()
        await pool.value
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

    /// How long a request waits for a pooled connection before it fails as ``PersistenceError/Code/unavailable``:
    /// the pool keeps trying to connect to a server that is down, and a request must not wait for it forever.
    static let leaseTimeout: Duration = .seconds(5)

    /// Leases a pooled connection for `body`; fails with ``PersistenceError/Code/unavailable`` when none comes
    /// within ``leaseTimeout``.
    ///
    /// A task of its own holds the lease (the pool binds a lease to the task that waits for it, and gives it up
    /// when that task is cancelled) and hands the connection to `body`, which runs here; a timer cancels the
    /// lease when it takes too long.
    private func withConnection<T>(_ body: (PostgresSQLConnection) async throws -> T) async throws -> T {
        guard !isClosed.withLock({ $0 }) else { throw PersistenceError(.unavailable, "the database is closed") }
        let client = self.client
        let lease = ConnectionLease()
        let holder = Task {
            do {
                try await client.withConnection { connection in
                    guard lease.deliver(connection) else { return }
                    await lease.released()
                }
            } catch let error as PSQLError {
                lease.fail(PersistenceError(error))
            } catch {
                lease.fail(PersistenceError(.unavailable, "no connection to PostgreSQL: \(error)"))
            }
        }
        let timer = Task {
            try await Task.sleep(for: Self.leaseTimeout)
            if lease.fail(PersistenceError(.unavailable, "no connection to PostgreSQL within \(Self.leaseTimeout)")) {
                holder.cancel()
            }
        }
        defer {
            timer.cancel()
            lease.release()
        }
        let connection = try await lease.connection()
        return try await body(PostgresSQLConnection(connection: connection, logger: logger))
    }
}

/// The hand-over of one pooled connection between the task that holds its lease and the task that uses it.
private final class ConnectionLease: Sendable {
    private enum State {
        case waiting(CheckedContinuation<PostgresConnection, any Error>?)
        case delivered(PostgresConnection)
        case failed(PersistenceError)
        case inUse
    }

    private let state = Mutex(State.waiting(nil))
    private let releaseWaiter = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let isReleased = Mutex(false)

    /// The leased connection, once delivered.
    /// - Throws: the error the lease failed with.
    func connection() async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> Result<PostgresConnection, PersistenceError>? in
                switch state {
                case .delivered(let connection):
                    state = .inUse
                    return .success(connection)
                case .failed(let error): return .failure(error)
                default:
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Hands `connection` over; returns `false` when the lease already failed, so that the holder gives it back.
    func deliver(_ connection: PostgresConnection) -> Bool {
        let (accepted, waiter) = state.withLock {
            state -> (Bool, CheckedContinuation<PostgresConnection, any Error>?) in
            guard case .waiting(let waiter) = state else { return (false, nil) }
            state = waiter == nil ? .delivered(connection) : .inUse
            return (true, waiter)
        }
        waiter?.resume(returning: connection)
        return accepted
    }

    /// Fails the lease unless a connection was delivered; returns whether it did.
    @discardableResult
    func fail(_ error: PersistenceError) -> Bool {
        let (failed, waiter) = state.withLock { state -> (Bool, CheckedContinuation<PostgresConnection, any Error>?) in
            guard case .waiting(let waiter) = state else { return (false, nil) }
            state = .failed(error)
            return (true, waiter)
        }
        waiter?.resume(throwing: error)
        return failed
    }

    /// Waits, in the holder's task, until the user gives the connection back.
    func released() async {
        await withCheckedContinuation { continuation in
            let done = isReleased.withLock { isReleased -> Bool in
                if !isReleased { releaseWaiter.withLock { $0 = continuation } }
                return isReleased
            }
            if done { continuation.resume() }
        }
    }

    /// Gives the connection back to the pool (through the holder's task).
    func release() {
        let waiter = isReleased.withLock { isReleased -> CheckedContinuation<Void, Never>? in
            isReleased = true
            return releaseWaiter.withLock { waiter in
                defer { waiter = nil }
                return waiter
            }
        }
        waiter?.resume()
    }
}
