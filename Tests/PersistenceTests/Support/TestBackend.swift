import Foundation
import Logging
import Persistence
import Testing

/// A backend the backend-neutral tests run against: SQLite always, PostgreSQL when the test command has started
/// a private server and named it in `ATRIUM_TEST_POSTGRES` (a `postgresql://` URL). With
/// `ATRIUM_REQUIRE_POSTGRES=1` a missing server fails the PostgreSQL runs instead of leaving them out.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// The backends to run: those configured, or required.
    static var available: [TestBackend] {
        let environment = ProcessInfo.processInfo.environment
        let postgres = environment["ATRIUM_TEST_POSTGRES"] != nil || environment["ATRIUM_REQUIRE_POSTGRES"] == "1"
        return postgres ? [.sqlite, .postgres] : [.sqlite]
    }

    /// The configuration of the test server.
    static func postgresConfiguration(schema: String? = nil) throws -> PostgresDatabase.Configuration {
        let url = try #require(
            ProcessInfo.processInfo.environment["ATRIUM_TEST_POSTGRES"],
            "ATRIUM_REQUIRE_POSTGRES is set but ATRIUM_TEST_POSTGRES names no server")
        var configuration = try #require(PostgresDatabase.Configuration(url: url), "not a postgresql:// URL: \(url)")
        configuration.schema = schema
        return configuration
    }

    /// Runs `body` with an empty database of this backend, made by `schema` (statements for the dialect), and
    /// removes it afterwards: a temporary SQLite file, or a PostgreSQL schema of its own.
    func withDatabase<T>(
        schema: (Dialect) -> String, _ body: (any Database) async throws -> T
    ) async throws -> T {
        switch self {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let database = try SQLiteDatabase(
                path: folder + "/test.sqlite", migrations: [Migration("v1", sql: schema(.sqlite))])
            let value = try await body(database)
            await database.close()
            return value
        case .postgres:
            let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let script = schema(.postgres)
            return try await Self.withPostgres(schema: name) { database in
                try await database.writeWithoutTransaction { connection in
                    try await connection.execute("CREATE SCHEMA \(name)")
                    try await connection.executeScript(script)
                }
                do {
                    let value = try await body(database)
                    try await database.writeWithoutTransaction { try await $0.execute("DROP SCHEMA \(name) CASCADE") }
                    return value
                } catch {
                    _ = try? await database.writeWithoutTransaction {
                        try await $0.execute("DROP SCHEMA \(name) CASCADE")
                    }
                    throw error
                }
            }
        }
    }

    /// Runs `body` with a PostgreSQL database of the test server whose pool runs meanwhile.
    static func withPostgres<T>(
        schema: String?, maximumConnections: Int = 4, _ body: (PostgresDatabase) async throws -> T
    ) async throws -> T {
        var configuration = try postgresConfiguration(schema: schema)
        configuration.maximumConnections = maximumConnections
        let database = PostgresDatabase(configuration: configuration, logger: Logger(label: "test"))
        do {
            let value = try await body(database)
            await database.close()
            return value
        } catch {
            await database.close()
            throw error
        }
    }
}
