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

@Suite struct SQLiteDatabaseConcurrencyTests {
    static func makeDatabase() throws -> (SQLiteDatabase, folder: String) {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite",
            migrations: [Migration("v1", sql: "CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)")])
        return (database, folder)
    }

    /// Runs a read and tells whether its body ran on the calling thread.
    static func readRunsOnCallingThread(_ database: SQLiteDatabase) throws -> (sameThread: Bool, count: Int64?) {
        let caller = Thread.current
        return try database.read { connection in
            (Thread.current === caller, try connection.integer("SELECT count(*) FROM items"))
        }
    }

    static func wait(_ semaphore: DispatchSemaphore) { semaphore.wait() }
    static func wait(_ group: DispatchGroup) { group.wait() }

    @Test func readsRunOnTheCallingThreadAndSeeCommittedWrites() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        let (sameThread, count) = try Self.readRunsOnCallingThread(database)
        #expect(sameThread)
        #expect(count == 1)
        let single = try database.readSingleStatement { try $0.integer("SELECT n FROM items WHERE id = 'a'") }
        #expect(single == 1)
    }

    @Test func aReadKeepsItsSnapshotWhileAWriteCommits() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        let snapshotTaken = DispatchSemaphore(value: 0)
        let writeDone = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let counts = Mutex<[Int64?]>([])
        let reader = Thread {
            let inside = try? database.read { connection -> [Int64?] in
                let before = try connection.integer("SELECT count(*) FROM items")
                snapshotTaken.signal()
                writeDone.wait()
                return [before, try connection.integer("SELECT count(*) FROM items")]
            }
            let after = try? database.read { try $0.integer("SELECT count(*) FROM items") }
            counts.withLock { $0 = (inside ?? []) + [after] }
            finished.signal()
        }
        reader.start()
        Self.wait(snapshotTaken)
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES ('b', 2)")
        }
        writeDone.signal()
        Self.wait(finished)
        #expect(counts.withLock { $0 } == [1, 1, 2])
    }

    @Test func callersBeyondEightReadersWaitAndSucceed() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES ('a', 7)")
        }
        struct Tally {
            var inside = 0
            var peak = 0
            var results: [Int64?] = []
        }
        let tally = Mutex(Tally())
        let group = DispatchGroup()
        for _ in 0..<20 {
            group.enter()
            Thread {
                let value = try? database.read { connection -> Int64? in
                    tally.withLock {
                        $0.inside += 1
                        $0.peak = max($0.peak, $0.inside)
                    }
                    // Hold the reader until eight are in at once (or five seconds pass), so that the others
                    // have to wait.
                    let deadline = Date().addingTimeInterval(5)
                    while tally.withLock({ $0.peak }) < 8 && Date() < deadline { usleep(1_000) }
                    let value = try connection.integer("SELECT n FROM items")
                    tally.withLock { $0.inside -= 1 }
                    return value
                }
                tally.withLock { $0.results.append(value) }
                group.leave()
            }.start()
        }
        Self.wait(group)
        let result = tally.withLock { $0 }
        #expect(result.peak == 8)
        #expect(result.results == Array(repeating: 7, count: 20))
    }

    @Test func constraintViolationsCarryThePrimaryAndExtendedCodes() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await database.write { connection in
            try connection.execute("INSERT INTO items (id, n) VALUES ('a', 1)")
        }
        let error = await #expect(throws: SQLiteError.self) {
            try await database.write { connection in
                try connection.execute("INSERT INTO items (id, n) VALUES (?, ?)", ["a", 2])
            }
        }
        #expect(error?.code == .constraint)
        // SQLITE_CONSTRAINT_PRIMARYKEY; the bound values are not in the message.
        #expect(error?.extendedCode == 1555)
        #expect(error?.description == "SQLite error 19: UNIQUE constraint failed: items.id")
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
        let error = await #expect(throws: SQLiteError.self) {
            try await database.write { connection in
                try connection.execute("INSERT INTO children (id, parent) VALUES (1, 42)")
            }
        }
        #expect(error?.code == .constraint)
        #expect(error?.extendedCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
        try await database.write { connection in
            try connection.execute("INSERT INTO parents (id) VALUES (1)")
            try connection.execute("INSERT INTO children (id, parent) VALUES (1, 1)")
            try connection.execute("DELETE FROM parents")
        }
        let children = try database.read { try $0.integer("SELECT count(*) FROM children") }
        #expect(children == 0)
    }

    @Test func writeWithoutTransactionRunsOnTheWriterBetweenGroups() async throws {
        let (database, folder) = try Self.makeDatabase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inTransaction = try await database.writeWithoutTransaction { connection -> Bool in
            try connection.execute("CREATE INDEX items_n ON items (n)")
            return connection.handle.isInsideTransaction
        }
        #expect(!inTransaction)
        let index = try database.read { connection in
            try connection.text(
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
                try await database.write { try $0.execute("INSERT INTO t VALUES (one())") }
                let count = try database.read { try $0.integer("SELECT count(*) FROM t") }
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
