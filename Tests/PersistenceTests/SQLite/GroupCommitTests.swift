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
                            try connection.execute("INSERT INTO t(n) VALUES (?)", [SQLValue(number)])
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
        let count = try database.read { connection in try connection.integer("SELECT COUNT(*) FROM t") }
        #expect(count == 90)
        let refused = try database.read { connection in
            try connection.integer("SELECT COUNT(*) FROM t WHERE n % 10 = 3")
        }
        #expect(refused == 0)
    }
}
