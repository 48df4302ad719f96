import Dispatch
import Foundation
import Synchronization
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
            try await connection.execute("INSERT INTO items (id, n) VALUES (?, ?)", [.text("a"), .integer(21)])
        }
        let row = try await database.read { connection in
            try await connection.firstRow("SELECT id, twice(n) FROM items WHERE id = ?", [.text("a")])
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
                            try await connection.execute(
                                "INSERT INTO items (id, n) VALUES (?, ?)", [.text("k\(index)"), .integer(Int64(index))])
                            if index % 5 == 0 { throw Refused() }
                        }
                    } catch is Refused {}
                }
            }
            try await group.waitForAll()
        }
        let count = try await database.read { connection in
            try await connection.firstRow("SELECT count(*) FROM items")?.first?.integer
        }
        #expect(count == 40)
    }

    @Test func constraintViolationsAreReportedWithTheirCode() async throws {
        let database = try makeDatabase()
        try await database.write { connection in
            try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        await #expect(throws: PersistenceError.self) {
            try await database.write { connection in
                try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 2)")
            }
        }
        do {
            try await database.write { connection in
                try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 3)")
            }
        } catch let error as PersistenceError {
            #expect(error.code == .uniqueViolation)
        }
    }

    @Test func migrationsRunOnceAcrossOpenings() async throws {
        let path = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString + "/test.sqlite"
        let migrations = [Migration("v1", sql: "CREATE TABLE t (x)")]
        _ = try SQLiteDatabase(path: path, migrations: migrations)
        let reopened = try SQLiteDatabase(
            path: path, migrations: migrations + [Migration("v2", sql: "INSERT INTO t VALUES (1)")])
        let count = try await reopened.read { try await $0.firstRow("SELECT count(*) FROM t")?.first?.integer }
        #expect(count == 1)
    }
}

@Suite struct SQLiteDatabaseConcurrencyTests {
    static func makeDatabase() throws -> (SQLiteDatabase, folder: String) {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite",
            migrations: [Migration("v1", sql: "CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)")])
        return (database, folder)
    }

    /// The name of the executor whose thread runs the caller.
    static func currentThreadName() -> String? { ThreadTaskExecutor.currentName }

    static func wait(_ semaphore: DispatchSemaphore) { semaphore.wait() }
    static func wait(_ group: DispatchGroup) { group.wait() }

    @Test func readsAndWritesRunOnTheirConnectionsThreadsAndReadsSeeCommittedWrites() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writerThread = try await database.write { connection in
            try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
            return Self.currentThreadName()
        }
        let (readerThread, count) = try await database.read { connection in
            (Self.currentThreadName(), try await connection.integer("SELECT count(*) FROM items"))
        }
        #expect(writerThread == "atrium.sqlite.writer")
        #expect(readerThread == "atrium.sqlite.reader")
        #expect(count == 1)
        let single = try await database.readStatement { try await $0.integer("SELECT n FROM items WHERE id = 'a'") }
        #expect(single == 1)
    }

    @Test func aReadKeepsItsSnapshotWhileAWriteCommits() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        let (snapshotTaken, snapshotSignal) = AsyncStream.makeStream(of: Void.self)
        let (writeDone, writeSignal) = AsyncStream.makeStream(of: Void.self)
        let reader = Task {
            let inside = try await database.read { connection -> [Int64?] in
                let before = try await connection.integer("SELECT count(*) FROM items")
                snapshotSignal.finish()
                for await _ in writeDone {}
                return [before, try await connection.integer("SELECT count(*) FROM items")]
            }
            let after = try await database.read { try await $0.integer("SELECT count(*) FROM items") }
            return inside + [after]
        }
        for await _ in snapshotTaken {}
        try await database.write { connection in
            try await connection.execute("INSERT INTO items (id, n) VALUES ('b', 2)")
        }
        writeSignal.finish()
        let counts = try await reader.value
        #expect(counts == [1, 1, 2])
    }

    @Test func callersBeyondEightReadersWaitAndSucceed() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 7)")
        }
        struct Tally {
            var inside = 0
            var peak = 0
            var results: [Int64?] = []
        }
        final class SharedTally: Sendable {
            let state = Mutex(Tally())
        }
        let shared = SharedTally()
        try await withThrowingTaskGroup { group in
            for _ in 0..<20 {
                group.addTask {
                    let value = try await database.read { connection -> Int64? in
                        shared.state.withLock {
                            $0.inside += 1
                            $0.peak = max($0.peak, $0.inside)
                        }
                        // Hold the reader until eight are in at once (or five seconds pass), so that the others
                        // have to wait.
                        let deadline = ContinuousClock.now + .seconds(5)
                        while shared.state.withLock({ $0.peak }) < 8 && ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                        let value = try await connection.integer("SELECT n FROM items")
                        shared.state.withLock { $0.inside -= 1 }
                        return value
                    }
                    shared.state.withLock { $0.results.append(value) }
                }
            }
            try await group.waitForAll()
        }
        let result = shared.state.withLock { $0 }
        #expect(result.peak == 8)
        #expect(result.results == Array(repeating: 7, count: 20))
    }

    @Test func constraintViolationsCarryThePrimaryAndExtendedCodes() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try await connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        let error = await #expect(throws: PersistenceError.self) {
            try await database.write { connection in
                try await connection.execute("INSERT INTO items (id, n) VALUES (?, ?)", ["a", 2])
            }
        }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.sqlite?.code == .constraint)
        // SQLITE_CONSTRAINT_PRIMARYKEY; the bound values are not in the message.
        #expect(error?.sqlite?.extendedCode == 1555)
        #expect(error?.sqlite?.description == "SQLite error 19: UNIQUE constraint failed: items.id")
    }

    @Test func foreignKeysAreEnforced() async throws {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite",
            migrations: [
                Migration(
                    "v1",
                    sql: """
                        CREATE TABLE parents (id INTEGER PRIMARY KEY);
                        CREATE TABLE children (id INTEGER PRIMARY KEY,
                            parent INTEGER NOT NULL REFERENCES parents(id) ON DELETE CASCADE);
                        """)
            ])
        let error = await #expect(throws: PersistenceError.self) {
            try await database.write { connection in
                try await connection.execute("INSERT INTO children (id, parent) VALUES (1, 42)")
            }
        }
        #expect(error?.code == .constraintViolation)
        #expect(error?.sqlite?.code == .constraint)
        #expect(error?.sqlite?.extendedCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
        try await database.write { connection in
            try await connection.execute("INSERT INTO parents (id) VALUES (1)")
            try await connection.execute("INSERT INTO children (id, parent) VALUES (1, 1)")
            try await connection.execute("DELETE FROM parents")
        }
        let children = try await database.read { try await $0.integer("SELECT count(*) FROM children") }
        #expect(children == 0)
    }

    @Test func writeWithoutTransactionRunsOnTheWriterBetweenGroups() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inTransaction = try await database.writeWithoutTransaction { connection -> Bool in
            try await connection.execute("CREATE INDEX items_n ON items (n)")
            // BEGIN fails inside a transaction.
            let began = (try? await connection.execute("BEGIN")) != nil
            if began { try await connection.execute("ROLLBACK") }
            return !began
        }
        #expect(!inTransaction)
        let index = try await database.read { connection in
            try await connection.text(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL")
        }
        #expect(index == "items_n")
    }

    #if os(Linux)
        /// The open file descriptors of this process whose target lies in `folder`.
        static func openFiles(in folder: String) -> Int {
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return descriptors.count(where: { descriptor in
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + descriptor)
                return target?.hasPrefix(folder) ?? false
            })
        }

        @Test func droppedDatabasesCloseEveryConnection() async throws {
            let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: folder) }
            for round in 0..<20 {
                let database = try SQLiteDatabase(
                    path: folder + "/test-\(round).sqlite",
                    migrations: [Migration("v1", sql: "CREATE TABLE t (x)")],
                    functions: [SQLFunction("one", argumentCount: 0, deterministic: true) { _ in .integer(1) }])
                try await database.write { try await $0.execute("INSERT INTO t VALUES (one())") }
                let count = try await database.read { try await $0.integer("SELECT count(*) FROM t") }
                #expect(count == 1)
                #expect(Self.openFiles(in: folder) > 0)
            }
            #expect(Self.openFiles(in: folder) == 0)
            // The last connection to close checkpoints and removes the WAL file.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix("-wal") }
            #expect(leftovers == [])
        }
    #endif
}

extension PersistenceError {
    /// The SQLite error this error was mapped from.
    var sqlite: SQLiteError? { cause as? SQLiteError }
}

@Suite struct SQLiteDatabaseClosingTests {
    @Test func aClosedDatabaseRefusesReadsAndWritesAsUnavailable() async throws {
        let path = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString + "/test.sqlite"
        let database = try SQLiteDatabase(path: path, migrations: [Migration("v1", sql: "CREATE TABLE t (x)")])
        // A write submitted before closing commits; close waits for it.
        async let pending: Void = database.write { connection in
            try await connection.execute("INSERT INTO t (x) VALUES (1)")
        }
        try await pending
        await database.close()
        let write = await #expect(throws: PersistenceError.self) {
            try await database.write { connection in try await connection.execute("INSERT INTO t (x) VALUES (2)") }
        }
        #expect(write?.code == .unavailable)
        let read = await #expect(throws: PersistenceError.self) {
            try await database.read { connection in try await connection.integer("SELECT count(*) FROM t") }
        }
        #expect(read?.code == .unavailable)
        let reopened = try SQLiteDatabase(path: path, migrations: [Migration("v1", sql: "CREATE TABLE t (x)")])
        #expect(try await reopened.read { try await $0.integer("SELECT count(*) FROM t") } == 1)
    }
}
