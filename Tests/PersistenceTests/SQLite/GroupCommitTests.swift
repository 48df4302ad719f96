import Dispatch
import Foundation
import Testing

@testable import Persistence

@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test func concurrentWritesCommitAndAFailureRollsBackAlone() async throws {
        let folder = NSTemporaryDirectory() + "atrium-group-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite", migrations: [Migration("v1", sql: "CREATE TABLE t(n INTEGER PRIMARY KEY)")])
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for number in 0..<100 {
                group.addTask {
                    do {
                        try await database.write { connection in
                            try await connection.execute("INSERT INTO t(n) VALUES (?)", [SQLValue(number)])
                            if number % 10 == 3 { throw Refused() }
                        }
                        return true
                    } catch is Refused {
                        return false
                    }
                }
            }
            var succeeded = 0
            for try await result in group where result { succeeded += 1 }
            #expect(succeeded == 90)
        }
        let count = try await database.read { connection in try await connection.integer("SELECT COUNT(*) FROM t") }
        #expect(count == 90)
        let refused = try await database.read { connection in
            try await connection.integer("SELECT COUNT(*) FROM t WHERE n % 10 = 3")
        }
        #expect(refused == 0)
    }
}

@Suite struct GroupCommitGroupingTests {
    struct Refused: Error {}

    static func wait(_ semaphore: DispatchSemaphore) { semaphore.wait() }

    @Test func writesQueuedBehindABusyWriterCommitTogetherAndAFailureRollsBackOnlyItself() async throws {
        let folder = NSTemporaryDirectory() + "atrium-group-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(
            path: folder + "/test.sqlite",
            migrations: [Migration("v1", sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, writer INTEGER NOT NULL)")])
        let blocking = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            group.addTask {
                try await database.writeWithoutTransaction { _ in
                    blocking.signal()
                    release.wait()
                }
                return (-1, true)
            }
            Self.wait(blocking)
            for writer in 0..<5 {
                group.addTask {
                    do {
                        try await database.write { connection in
                            try await connection.execute(
                                "INSERT INTO t (n, writer) VALUES (?, ?)", [SQLValue(writer * 10), SQLValue(writer)])
                            try await connection.execute(
                                "INSERT INTO t (n, writer) VALUES (?, ?)",
                                [SQLValue(writer * 10 + 1), SQLValue(writer)])
                            if writer == 2 { throw Refused() }
                        }
                        return (writer, true)
                    } catch is Refused {
                        return (writer, false)
                    }
                }
            }
            // Wait (bounded) until the five writes are queued behind the blocked writer: they form one group.
            let deadline = ContinuousClock.now + .seconds(10)
            while database.writer.pendingCount < 5 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(database.writer.pendingCount == 5)
            release.signal()
            var outcomes: [Int: Bool] = [:]
            for try await (writer, succeeded) in group { outcomes[writer] = succeeded }
            #expect(outcomes == [-1: true, 0: true, 1: true, 2: false, 3: true, 4: true])
        }
        let rows = try await database.read { try await $0.integers("SELECT n FROM t ORDER BY n") }
        #expect(rows == [0, 1, 10, 11, 30, 31, 40, 41])
    }
}
