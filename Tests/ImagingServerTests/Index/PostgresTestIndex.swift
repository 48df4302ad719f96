import Foundation
import Logging
import Persistence
import Testing

@testable import ImagingServer

/// Imaging indexes on the PostgreSQL test server that scripts/test starts (`ATRIUM_TEST_POSTGRES`).
enum PostgresTestIndex {
    /// Whether a test server is named.
    static var isAvailable: Bool { ProcessInfo.processInfo.environment["ATRIUM_TEST_POSTGRES"] != nil }

    /// An index in a schema of its own on the test server, dropped afterwards.
    static func withIndex<T>(_ body: (ImagingIndex) async throws -> T) async throws -> T {
        let url = try #require(ProcessInfo.processInfo.environment["ATRIUM_TEST_POSTGRES"])
        let schema = "imaging_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var configuration = try #require(PostgresDatabase.Configuration(url: url))
        configuration.schema = schema
        configuration.writeIsolation = .readCommitted
        let database = PostgresDatabase(configuration: configuration, logger: Logger(label: "test"))
        try await database.writeWithoutTransaction { try await $0.execute("CREATE SCHEMA \(schema)") }
        do {
            let value = try await body(try await ImagingIndex(database: database))
            try await database.writeWithoutTransaction { try await $0.execute("DROP SCHEMA \(schema) CASCADE") }
            await database.close()
            return value
        } catch {
            _ = try? await database.writeWithoutTransaction { try await $0.execute("DROP SCHEMA \(schema) CASCADE") }
            await database.close()
            throw error
        }
    }

}
