import Foundation
import Testing

@testable import Persistence

/// What every backend of ``Database`` must do alike, run on SQLite and on PostgreSQL: the faces' SQL relies on it.
@Suite struct DatabaseConformanceTests {
    static func schema(_ dialect: Dialect) -> String {
        """
        CREATE TABLE parents (id \(dialect.generatedKey), name TEXT NOT NULL UNIQUE);
        CREATE TABLE children (id \(dialect.integer) PRIMARY KEY,
            parent \(dialect.integer) NOT NULL REFERENCES parents(id) ON DELETE CASCADE);
        CREATE TABLE items (id TEXT PRIMARY KEY, n \(dialect.integer), r \(dialect.real), data \(dialect.blob));
        """
    }

    struct Refused: Error {}

    @Test(arguments: TestBackend.available)
    func writesCommitWithGeneratedKeysAndChangedRowCounts(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            let keys = try await database.write { connection -> [Int64] in
                var keys: [Int64] = []
                for name in ["a", "b", "c"] {
                    keys.append(
                        try #require(
                            try await connection.integer(
                                "INSERT INTO parents (name) VALUES (?) RETURNING id", [.text(name)])))
                }
                return keys
            }
            #expect(keys == [1, 2, 3])
            let counts = try await database.write { connection -> [Int] in
                [
                    try await connection.execute("UPDATE parents SET name = name || '!' WHERE id > ?", [1]),
                    try await connection.execute("UPDATE parents SET name = 'x' WHERE id = ?", [42]),
                    try await connection.execute("DELETE FROM parents WHERE id = ?", [3]),
                ]
            }
            #expect(counts == [2, 0, 1])
            let names = try await database.read { try await $0.texts("SELECT name FROM parents ORDER BY id") }
            #expect(names == ["a", "b!"])
        }
    }

    @Test(arguments: TestBackend.available)
    func valuesRoundTripByStorageClass(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            let rows: [[SQLValue]] = [
                ["ünïcødé 😀", .integer(Int64.max), .real(0.1), .blob([0, 1, 255])],
                ["empty", .integer(Int64.min), .real(-1e300), .blob([])],
                ["nulls", nil, nil, nil],
            ]
            try await database.write { connection in
                for row in rows {
                    try await connection.execute("INSERT INTO items (id, n, r, data) VALUES (?, ?, ?, ?)", row)
                }
            }
            let read = try await database.read { connection in
                var read: [[SQLValue]] = []
                try await connection.forEachRow("SELECT id, n, r, data FROM items ORDER BY n DESC NULLS LAST", []) {
                    row in
                    read.append((0..<row.count).map { row.value(at: $0) })
                }
                return read
            }
            // PostgreSQL sorts NULL last by default as SQLite does with NULLS LAST; the order is the same.
            #expect(read == rows)
            let first = try await database.readStatement { connection in
                try await connection.firstRow("SELECT n, r FROM items WHERE id = ?", ["empty"])
            }
            #expect(first == [.integer(Int64.min), .real(-1e300)])
            #expect(try await database.read { try await $0.firstRow("SELECT id FROM items WHERE id = 'none'") } == nil)
        }
    }

    @Test(arguments: TestBackend.available)
    func aWriteThatThrowsLeavesNothing(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            await #expect(throws: Refused.self) {
                try await database.write { connection in
                    try await connection.execute("INSERT INTO items (id) VALUES ('kept?')")
                    throw Refused()
                }
            }
            try await database.write { connection in
                try await connection.execute("INSERT INTO items (id) VALUES ('ok')")
            }
            #expect(try await database.read { try await $0.texts("SELECT id FROM items") } == ["ok"])
        }
    }

    @Test(arguments: TestBackend.available)
    func constraintAndStatementErrorsHaveBackendNeutralCodes(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            try await database.write { connection in
                try await connection.execute("INSERT INTO parents (name) VALUES ('a')")
            }
            let unique = await #expect(throws: PersistenceError.self) {
                try await database.write { connection in
                    try await connection.execute("INSERT INTO parents (name) VALUES ('a')")
                }
            }
            #expect(unique?.code == .uniqueViolation)
            let foreignKey = await #expect(throws: PersistenceError.self) {
                try await database.write { connection in
                    try await connection.execute("INSERT INTO children (id, parent) VALUES (1, 42)")
                }
            }
            #expect(foreignKey?.code == .constraintViolation)
            let notNull = await #expect(throws: PersistenceError.self) {
                try await database.write { connection in
                    try await connection.execute("INSERT INTO parents (name) VALUES (NULL)")
                }
            }
            #expect(notNull?.code == .constraintViolation)
            let syntax = await #expect(throws: PersistenceError.self) {
                try await database.read { try await $0.execute("SELEKT 1") }
            }
            #expect(syntax?.code == .statementFailure)
            let arguments = await #expect(throws: PersistenceError.self) {
                try await database.read { try await $0.execute("SELECT ?", [1, 2]) }
            }
            #expect(arguments?.code == .statementFailure)
            // The failed writes left the first row alone, and the database answers again.
            #expect(try await database.read { try await $0.integer("SELECT count(*) FROM parents") } == 1)
        }
    }

    @Test(arguments: TestBackend.available)
    func placeholdersInsideLiteralsAndCommentsAreText(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            let row = try await database.read { connection in
                try await connection.firstRow(
                    """
                    SELECT '?' || ?, 'it''s ?' -- a comment? yes
                    , ? /* another? */
                    """, ["x", 7])
            }
            #expect(row == [.text("?x"), .text("it's ?"), .integer(7)])
        }
    }

    @Test(arguments: TestBackend.available)
    func scriptsRunEveryStatement(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            try await database.writeWithoutTransaction { connection in
                try await connection.executeScript(
                    """
                    INSERT INTO items (id) VALUES ('a;b');
                    -- a comment; with a semicolon
                    INSERT INTO items (id) VALUES ('c');
                    """)
            }
            #expect(try await database.read { try await $0.texts("SELECT id FROM items ORDER BY id") } == ["a;b", "c"])
        }
    }

    @Test(arguments: TestBackend.available)
    func aReadSeesOneSnapshotWhileAWriteCommits(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            try await database.write { try await $0.execute("INSERT INTO items (id) VALUES ('a')") }
            let (snapshotTaken, snapshotSignal) = AsyncStream.makeStream(of: Void.self)
            let (writeDone, writeSignal) = AsyncStream.makeStream(of: Void.self)
            async let counts: [Int64?] = database.read { connection in
                let before = try await connection.integer("SELECT count(*) FROM items")
                snapshotSignal.finish()
                for await _ in writeDone {}
                return [before, try await connection.integer("SELECT count(*) FROM items")]
            }
            for await _ in snapshotTaken {}
            try await database.write { try await $0.execute("INSERT INTO items (id) VALUES ('b')") }
            writeSignal.finish()
            #expect(try await counts == [1, 1])
            #expect(try await database.read { try await $0.integer("SELECT count(*) FROM items") } == 2)
        }
    }

    @Test(arguments: TestBackend.available)
    func dialectStatementsRun(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            let dialect = database.dialect
            #expect(dialect == (backend == .sqlite ? .sqlite : .postgres))
            try await database.write { connection in
                let ignore = dialect.insertIgnoringDuplicates(into: "items (id, n)", "VALUES (?, ?)")
                #expect(try await connection.execute(ignore, ["a", 1]) == 1)
                #expect(try await connection.execute(ignore, ["a", 2]) == 0)
                let upsert = dialect.upsert(into: "items", columns: ["n", "r"], key: ["id"])
                try await connection.execute(upsert, ["b", 5, .real(0.5)])
                try await connection.execute(upsert, ["b", 6, .real(1.5)])
            }
            let rows = try await database.read { connection in
                var rows: [[SQLValue]] = []
                try await connection.forEachRow("SELECT id, n, r FROM items ORDER BY id", []) { row in
                    rows.append([row.value(at: 0), row.value(at: 1), row.value(at: 2)])
                }
                return rows
            }
            #expect(rows == [["a", 1, nil], ["b", 6, .real(1.5)]])
            let like = dialect.caseInsensitiveLike("id", "?")
            let matched = try await database.read { try await $0.texts("SELECT id FROM items WHERE \(like)", ["A%"]) }
            #expect(matched == ["a"])
        }
    }

    @Test(arguments: TestBackend.available)
    func migrationsApplyOnceAndAFailingOneLeavesNothing(_ backend: TestBackend) async throws {
        try await backend.withDatabase(schema: Self.schema) { database in
            let steps = [
                SchemaMigration("m1", script: "CREATE TABLE m1 (x TEXT); INSERT INTO m1 VALUES ('a')"),
                SchemaMigration("m2", script: "INSERT INTO m1 VALUES ('b')"),
            ]
            try await database.migrate(steps)
            try await database.migrate(steps)
            #expect(try await database.read { try await $0.texts("SELECT x FROM m1 ORDER BY x") } == ["a", "b"])
            let failing =
                steps + [
                    SchemaMigration("m3", script: "INSERT INTO m1 VALUES ('c'); INSERT INTO missing VALUES (1)")
                ]
            await #expect(throws: PersistenceError.self) { try await database.migrate(failing) }
            #expect(try await database.read { try await $0.texts("SELECT x FROM m1 ORDER BY x") } == ["a", "b"])
            let recorded = try await database.read {
                try await $0.texts(
                    "SELECT identifier FROM atrium_migrations WHERE identifier LIKE 'm%' ORDER BY identifier")
            }
            #expect(recorded == ["m1", "m2"])
        }
    }
}
