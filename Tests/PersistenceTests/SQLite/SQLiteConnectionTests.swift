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
                try connection.execute("INSERT INTO t (name, data) VALUES (?, ?)", value)
                ids.append(connection.lastInsertedRowID)
            }
            return ids
        }
        #expect(ids == [1, 2, 3, 4])
        let rows = try database.read { connection in
            var rows: [[SQLValue]] = []
            try connection.forEachRow("SELECT name, data FROM t ORDER BY id") { row in
                rows.append([row.value(at: 0), row.value(at: 1)])
            }
            return rows
        }
        #expect(rows == values)
    }

    @Test func changesCountCountsTheLastStatementsRows() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let changed = try await database.write { connection -> Int in
            for name in ["a", "b", "c"] { try connection.execute("INSERT INTO t (name) VALUES (?)", [.text(name)]) }
            try connection.execute("UPDATE t SET name = 'z' WHERE name <> ?", ["b"])
            return connection.changesCount
        }
        #expect(changed == 2)
    }

    @Test func aNestedQueryWithTheSameTextGetsItsOwnStatement() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            for id in 1...3 { try connection.execute("INSERT INTO t (id) VALUES (?)", [SQLValue(id)]) }
        }
        let pairs = try database.read { connection in
            var pairs: [Int64] = []
            let sql = "SELECT id FROM t WHERE id >= ? ORDER BY id"
            try connection.forEachRow(sql, [1]) { outer in
                try connection.forEachRow(sql, [SQLValue(outer.integer(at: 0) ?? 0)]) { inner in
                    pairs.append((outer.integer(at: 0) ?? 0) * 10 + (inner.integer(at: 0) ?? 0))
                }
            }
            return pairs
        }
        #expect(pairs == [11, 12, 13, 22, 23, 33])
    }

    @Test func queriesBeyondTheStatementCacheStillRun() throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let count = SQLiteHandle.statementCacheLimit + 10
        let sum = try database.read { connection in
            var sum: Int64 = 0
            for number in 0..<count {
                sum += try connection.integer("SELECT \(number)") ?? 0
                sum += try connection.integer("SELECT \(number)") ?? 0
            }
            return sum
        }
        #expect(sum == Int64(count * (count - 1)))
    }

    @Test func misuseIsReported() throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let several = #expect(throws: SQLiteError.self) {
            try database.read { try $0.execute("SELECT 1; SELECT 2") }
        }
        #expect(several?.code == .misuse)
        let arguments = #expect(throws: SQLiteError.self) {
            try database.read { try $0.execute("SELECT ?", [1, 2]) }
        }
        #expect(arguments?.message == "wrong number of statement arguments: 2, expected 1")
        let syntax = #expect(throws: SQLiteError.self) {
            try database.read { try $0.execute("SELEKT 1") }
        }
        #expect(syntax?.description == "SQLite error 1: near \"SELEKT\": syntax error")
        // A statement with a trailing semicolon and comment is still one statement.
        let one = try database.read { try $0.integer("SELECT 1; -- done") }
        #expect(one == 1)
    }

    @Test func readersRefuseWrites() throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = #expect(throws: SQLiteError.self) {
            try database.readSingleStatement { try $0.execute("INSERT INTO t (name) VALUES ('x')") }
        }
        #expect(error?.code == SQLiteError.Code(rawValue: 8))  // SQLITE_READONLY
    }
}
