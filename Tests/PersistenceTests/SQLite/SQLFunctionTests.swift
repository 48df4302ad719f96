import Foundation
import Testing

@testable import Persistence

@Suite struct SQLFunctionTests {
    struct Refused: Error {}

    static let functions = [
        SQLFunction("echo", argumentCount: 1, deterministic: true) { arguments in arguments[0] },
        SQLFunction("describe", argumentCount: -1, deterministic: false) { arguments in
            .text(arguments.map { "\($0)" }.joined(separator: ","))
        },
        SQLFunction("refuse", argumentCount: 0, deterministic: true) { _ in throw Refused() },
    ]

    func makeDatabase() throws -> (SQLiteDatabase, folder: String) {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite",
            migrations: [
                Migration("v1", sql: "CREATE TABLE t (x)"),
                // A deterministic function may appear in an index expression.
                Migration("v2", sql: "CREATE INDEX t_echo ON t (echo(x))"),
            ],
            functions: Self.functions)
        return (database, folder)
    }

    @Test(arguments: [
        SQLValue.null, .integer(-7), .real(2.5), .text(""), .text("é😀"), .blob([]), .blob([0, 1, 255]),
    ])
    func valuesRoundTripThroughAFunction(value: SQLValue) async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let row = try await database.read { try await $0.firstRow("SELECT echo(?)", [value]) }
        #expect(row == [value])
    }

    @Test func functionsRunOnTheWriterAndOnReaders() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try await connection.execute("INSERT INTO t (x) VALUES (echo(?))", ["a"])
        }
        let described = try await database.readStatement { connection in
            try await connection.text("SELECT describe(x, 1, NULL) FROM t WHERE echo(x) = 'a'")
        }
        #expect(described == "text(\"a\"),integer(1),null")
    }

    @Test func aThrowingFunctionFailsTheStatementWithoutItsErrorText() async throws {
        let (database, folder) = try makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = await #expect(throws: PersistenceError.self) {
            try await database.read { try await $0.integer("SELECT refuse()") }
        }
        #expect(error?.sqlite?.code == .error)
        #expect(error?.sqlite?.message == "SQL function refuse failed")
    }
}
