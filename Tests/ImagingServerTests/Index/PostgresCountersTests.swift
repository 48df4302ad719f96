import Persistence
import Testing

@testable import ImagingServer

/// The counters of an index on PostgreSQL: kept as deltas that concurrent writes append, summed when read.
@Suite(.enabled(if: PostgresTestIndex.isAvailable))
struct PostgresCountersTests {
    @Test func countersSumTheirDeltasAndFoldingKeepsTheTotals() async throws {
        try await PostgresTestIndex.withIndex { index in
            try await withThrowingTaskGroup { group in
                for number in 0..<20 {
                    group.addTask {
                        try await index.write { connection in
                            try await connection.execute(
                                "INSERT INTO Resources(resourceType, publicId) VALUES (?, ?)",
                                [SQLValue(ResourceLevel.patient.rawValue), .text("p\(number)")])
                            try await ImagingIndex.addToCounter(.compressedSize, 100, in: connection)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let before = try await index.statistics()
            #expect(before.patients == 20)
            #expect(before.compressedSize == 2000)
            let deltas = {
                try await index.database.read { try await $0.integer("SELECT count(*) FROM GlobalIntegerDeltas") }
            }
            #expect(try await deltas() == 6 + 20 + 20)
            try await index.compactCounters()
            #expect(try await deltas() == 6)
            let after = try await index.statistics()
            #expect(after == before)
        }
    }
}
