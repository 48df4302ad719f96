import Foundation
import Logging
import Persistence
import Testing

@testable import ImagingServer

/// The changes log of an index shared by several writers (PostgreSQL): `/changes` shows a change only once it
/// can no longer be overtaken, so a reader that follows `Last` never skips one.
@Suite(.enabled(if: PostgresTestIndex.isAvailable))
struct PostgresChangeOrderTests {
    /// Inserts a patient and logs its `NewPatient` change, in the caller's transaction.
    static func logNewPatient(_ publicID: String, in connection: any Connection) async throws {
        let id = try #require(
            try await connection.integer(
                "INSERT INTO Resources(resourceType, publicId) VALUES (?, ?) RETURNING internalId",
                [SQLValue(ResourceLevel.patient.rawValue), .text(publicID)]))
        try await connection.execute(
            "INSERT INTO Changes(changeType, internalId, resourceType, date) VALUES (?, ?, ?, '20261208T000000')",
            [SQLValue(ChangeType.newPatient.rawValue), .integer(id), SQLValue(ResourceLevel.patient.rawValue)])
    }

    @Test func aChangeIsShownOnlyOnceNoOlderTransactionCanStillCommitBeforeIt() async throws {
        try await PostgresTestIndex.withIndex { index in
            let (inserted, insertedSignal) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
            // A slow transaction logs its change first, and commits last.
            let slow = Task {
                try await index.database.write { connection in
                    try await Self.logNewPatient("slow", in: connection)
                    insertedSignal.finish()
                    for await _ in release {}
                }
            }
            for await _ in inserted {}
            try await index.database.write { connection in try await Self.logNewPatient("fast", in: connection) }
            // The fast change committed, but the slow transaction is older and still running: showing the fast
            // one now would let a reader that follows `Last` skip the slow one. (Any transaction of the server
            // that is older holds the log back in the same way, until it ends.)
            let early = try await index.changes(since: 0, limit: 100)
            #expect(early.changes.isEmpty)
            #expect(early.last == 0)
            // The fast change is stored and committed: the log holds it back, it does not lose it.
            #expect(try await index.database.read { try await $0.integer("SELECT count(*) FROM Changes") } == 1)
            releaseSignal.finish()
            try await slow.value
            // Transactions of other tests on the same server may still hold older transaction IDs for a moment.
            var all = try await index.changes(since: 0, limit: 100)
            let deadline = ContinuousClock.now + .seconds(10)
            while all.changes.count < 2 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                all = try await index.changes(since: 0, limit: 100)
            }
            #expect(all.changes.map(\.id.value) == ["slow", "fast"])
            #expect(all.changes.map(\.seq) == [1, 2])
            #expect(all.done)
            // Once numbered, the numbers stay: a later reader sees the same log.
            #expect(try await index.changes(since: 1, limit: 100).changes.map(\.id.value) == ["fast"])
            #expect(try await index.lastChange().last == 2)
        }
    }
}
