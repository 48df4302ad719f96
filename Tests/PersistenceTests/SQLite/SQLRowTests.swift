import Foundation
import Testing

@testable import Persistence

@Suite struct SQLRowTests {
    @Test func columnsAreReadByStorageClass() async throws {
        let folder = NSTemporaryDirectory() + "persistence-tests-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(path: folder + "/test.sqlite", migrations: [])
        let sql = "SELECT 42, 1.5, 'Grüße 😀', x'00ff', NULL, ''"
        try await database.read { connection in
            var rows = 0
            try await connection.forEachRow(sql) { row in
                rows += 1
                #expect(row.count == 6)
                #expect(row.value(at: 0) == .integer(42))
                #expect(row.integer(at: 0) == 42)
                #expect(row.double(at: 0) == 42)
                #expect(row.text(at: 0) == nil)
                #expect(row.value(at: 1) == .real(1.5))
                #expect(row.integer(at: 1) == nil)
                #expect(row.double(at: 1) == 1.5)
                #expect(row.text(at: 2) == "Grüße 😀")
                #expect(row.double(at: 2) == nil)
                #expect(row.value(at: 3) == .blob([0, 255]))
                #expect(row.text(at: 3) == nil)
                #expect(row.value(at: 4) == .null)
                #expect(row.integer(at: 4) == nil)
                #expect(row.text(at: 4) == nil)
                #expect(row.text(at: 5) == "")
            }
            #expect(rows == 1)
        }
    }
}
