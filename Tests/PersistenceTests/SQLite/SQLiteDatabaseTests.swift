import Foundation
import Testing

@testable import Persistence

@Suite struct SQLiteDatabaseTests {
    struct Refused: Error {}

    func makeDatabase() throws -> SQLiteDatabase {
        let path = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString + "/test.sqlite"
        return try SQLiteDatabase(
            path: path,
            migrations: [
                Migration("v1", sql: "CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)"),
                Migration("v2", sql: "CREATE INDEX items_n ON items (n)"),
            ],
            functions: [
                SQLFunction("twice", argumentCount: 1, deterministic: true) { arguments in
                    .integer((arguments[0].integer ?? 0) * 2)
                }
            ])
    }

    @Test func writesCommitAndReadsSeeThem() async throws {
        let database = try makeDatabase()
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES (?, ?)", [.text("a"), .integer(21)])
        }
        let row = try database.read { connection in
            try connection.firstRow("SELECT id, twice(n) FROM items WHERE id = ?", [.text("a")])
        }
        #expect(row == [.text("a"), .integer(42)])
    }

    @Test func aFailingWriteLeavesNothingAndDoesNotDisturbTheOthers() async throws {
        let database = try makeDatabase()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    do {
                        try await database.write { connection in
                            try connection.execute(
                                "INSERT INTO items (id, n) VALUES (?, ?)", [.text("k\(index)"), .integer(Int64(index))])
                            if index % 5 == 0 { throw Refused() }
                        }
                    } catch is Refused {}
                }
            }
            try await group.waitForAll()
        }
        let count = try database.read { connection in
            try connection.firstRow("SELECT count(*) FROM items")?.first?.integer
        }
        #expect(count == 40)
    }

    @Test func constraintViolationsAreReportedWithTheirCode() async throws {
        let database = try makeDatabase()
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        await #expect(throws: SQLiteError.self) {
            try await database.write { connection in
                try connection.execute("INSERT INTO items (id, n) VALUES ('a', 2)")
            }
        }
        do {
            try await database.write { connection in try connection.execute("INSERT INTO items (id, n) VALUES ('a', 3)")
            }
        } catch let error as SQLiteError {
            #expect(error.code == .constraint)
        }
    }

    @Test func migrationsRunOnceAcrossOpenings() async throws {
        let path = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString + "/test.sqlite"
        let migrations = [Migration("v1", sql: "CREATE TABLE t (x)")]
        _ = try SQLiteDatabase(path: path, migrations: migrations)
        let reopened = try SQLiteDatabase(
            path: path, migrations: migrations + [Migration("v2", sql: "INSERT INTO t VALUES (1)")])
        let count = try reopened.read { try $0.firstRow("SELECT count(*) FROM t")?.first?.integer }
        #expect(count == 1)
    }
}
