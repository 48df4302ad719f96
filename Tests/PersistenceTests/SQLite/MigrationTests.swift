import Foundation
import Testing

@testable import Persistence

@Suite struct MigrationTests {
    static func temporaryPath() -> (path: String, folder: String) {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        return (folder + "/test.sqlite", folder)
    }

    @Test func migrationsApplyOnceAndAreRecorded() async throws {
        let (path, folder) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let migrations = [
            Migration("v1", sql: "CREATE TABLE t (x)"),
            Migration("v2") { connection in try connection.execute("INSERT INTO t VALUES (?)", [1]) },
        ]
        _ = try SQLiteDatabase(path: path, migrations: migrations)
        let reopened = try SQLiteDatabase(path: path, migrations: migrations)
        let rows = try await reopened.read { try await $0.integers("SELECT x FROM t") }
        #expect(rows == [1])
        let applied = try await reopened.read {
            try await $0.texts("SELECT identifier FROM atrium_migrations ORDER BY identifier")
        }
        #expect(applied == ["v1", "v2"])
    }

    @Test func aFailingMigrationIsRolledBackAndNotRecorded() async throws {
        let (path, folder) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = #expect(throws: PersistenceError.self) {
            _ = try SQLiteDatabase(
                path: path,
                migrations: [
                    Migration("v1", sql: "CREATE TABLE t (x)"),
                    Migration("v2", sql: "CREATE TABLE u (y); INSERT INTO missing VALUES (1)"),
                ])
        }
        #expect(error?.sqlite?.code == .error)
        let database = try SQLiteDatabase(path: path, migrations: [])
        let tables = try await database.read { connection in
            try await connection.texts("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(tables == ["atrium_migrations", "t"])
        let applied = try await database.read { try await $0.texts("SELECT identifier FROM atrium_migrations") }
        #expect(applied == ["v1"])
    }

    @Test func aDatabaseMigratedByGRDBIsAdopted() async throws {
        let (path, folder) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A file as GRDB's migrator left it: its own table of identifiers and the schema of "v1".
        do {
            let legacy = try SQLiteDatabase(path: path, migrations: [])
            try await legacy.writeWithoutTransaction { connection in
                try await connection.executeScript(
                    """
                    DROP TABLE atrium_migrations;
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    CREATE TABLE t (x);
                    """)
            }
        }
        let database = try SQLiteDatabase(
            path: path,
            migrations: [
                // Would fail if run again: the table exists.
                Migration("v1", sql: "CREATE TABLE t (x)"),
                Migration("v2", sql: "INSERT INTO t VALUES (2)"),
            ])
        let rows = try await database.read { try await $0.integers("SELECT x FROM t") }
        #expect(rows == [2])
        let applied = try await database.read {
            try await $0.texts("SELECT identifier FROM atrium_migrations ORDER BY identifier")
        }
        #expect(applied == ["v1", "v2"])
    }
}
