import Foundation
import Testing

@testable import Persistence

@Suite struct SQLiteConnectionTests {
    func makeDatabase() throws -> (SQLiteDatabase, folder: String) {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite",
            migrations: [Migration("v1", sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)")])
        return (database, folder)
    }

    @Test func boundValuesRoundTrip() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let values: [[SQLValue]] = [
            ["", .blob([])], ["ascii", .blob([1, 2, 3])], ["ünïcødé 😀", nil], [nil, .blob([0])],
        ]
        let ids = try await database.write { connection -> [Int64] in
            var ids: [Int64] = []
            for value in values {
                let id = try await connection.integer("INSERT INTO t (name, data) VALUES (?, ?) RETURNING id", value)
                ids.append(try #require(id))
            }
            return ids
        }
        #expect(ids == [1, 2, 3, 4])
        let rows = try await database.read { connection in
            var rows: [[SQLValue]] = []
            try await connection.forEachRow("SELECT name, data FROM t ORDER BY id") { row in
                rows.append([row.value(at: 0), row.value(at: 1)])
            }
            return rows
        }
        #expect(rows == values)
    }

    @Test func executeCountsTheRowsItsStatementChanged() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let counts = try await database.write { connection -> [Int] in
            var inserted = 0
            for name in ["a", "b", "c"] {
                inserted += try await connection.execute("INSERT INTO t (name) VALUES (?)", [.text(name)])
            }
            let updated = try await connection.execute("UPDATE t SET name = 'z' WHERE name <> ?", ["b"])
            // Neither a statement that matches no row nor a query reports the previous statement's count.
            let unmatched = try await connection.execute("UPDATE t SET name = 'y' WHERE name = 'none'")
            let query = try await connection.execute("SELECT count(*) FROM t")
            return [inserted, updated, unmatched, query]
        }
        #expect(counts == [3, 2, 0, 0])
    }

    @Test func aNestedQueryWithTheSameTextGetsItsOwnStatement() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            for id in 1...3 { try await connection.execute("INSERT INTO t (id) VALUES (?)", [SQLValue(id)]) }
        }
        let pairs = try await database.read { connection in
            var pairs: [Int64] = []
            let sql = "SELECT id FROM t WHERE id >= ? ORDER BY id"
            // SQLite's connection is synchronous, so its rows can be read inside another query's row.
            let sqlite = try #require(connection as? SQLiteConnection)
            try sqlite.forEachRow(sql, [1]) { outer in
                try sqlite.forEachRow(sql, [SQLValue(outer.integer(at: 0) ?? 0)]) { inner in
                    pairs.append((outer.integer(at: 0) ?? 0) * 10 + (inner.integer(at: 0) ?? 0))
                }
            }
            return pairs
        }
        #expect(pairs == [11, 12, 13, 22, 23, 33])
    }

    @Test func queriesBeyondTheStatementCacheStillRun() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let count = SQLiteHandle.statementCacheLimit + 10
        let sum = try await database.read { connection in
            var sum: Int64 = 0
            for number in 0..<count {
                await sum += try connection.integer("SELECT \(number)") ?? 0
                await sum += try connection.integer("SELECT \(number)") ?? 0
            }
            return sum
        }
        #expect(sum == Int64(count * (count - 1)))
    }

    @Test func misuseIsReported() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let several = await #expect(throws: PersistenceError.self) {
            try await database.read { try await $0.execute("SELECT 1; SELECT 2") }
        }
        #expect(several?.code == .statementFailure)
        #expect(several?.sqlite?.code == .misuse)
        let arguments = await #expect(throws: PersistenceError.self) {
            try await database.read { try await $0.execute("SELECT ?", [1, 2]) }
        }
        #expect(arguments?.sqlite?.message == "wrong number of statement arguments: 2, expected 1")
        let syntax = await #expect(throws: PersistenceError.self) {
            try await database.read { try await $0.execute("SELEKT 1") }
        }
        #expect(syntax?.sqlite?.description == "SQLite error 1: near \"SELEKT\": syntax error")
        // A statement with a trailing semicolon and comment is still one statement.
        let one = try await database.read { try await $0.integer("SELECT 1; -- done") }
        #expect(one == 1)
    }

    @Test func readersRefuseWrites() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = await #expect(throws: PersistenceError.self) {
            try await database.readStatement { try await $0.execute("INSERT INTO t (name) VALUES ('x')") }
        }
        #expect(error?.code == .unavailable)
        #expect(error?.sqlite?.code == SQLiteError.Code(rawValue: 8))  // SQLITE_READONLY
    }
}
