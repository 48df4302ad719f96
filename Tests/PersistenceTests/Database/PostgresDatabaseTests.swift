import Foundation
import Synchronization
import Testing

@testable import Persistence

/// What only the PostgreSQL backend does: concurrent writers on one database, as several Atrium nodes are.
@Suite(.enabled(if: TestBackend.available.contains(.postgres)))
struct PostgresDatabaseTests {
    @Test func aWriteThatConflictsWithACommittedOneFailsWithASerializationFailure() async throws {
        try await TestBackend.postgres.withDatabase(schema: DatabaseConformanceTests.schema) { database in
            try await database.write { try await $0.execute("INSERT INTO items (id, n) VALUES ('a', 1)") }
            let (snapshotTaken, snapshotSignal) = AsyncStream.makeStream(of: Void.self)
            let (otherCommitted, otherSignal) = AsyncStream.makeStream(of: Void.self)
            let first = Task {
                try await database.write { connection in
                    _ = try await connection.integer("SELECT n FROM items WHERE id = 'a'")
                    snapshotSignal.finish()
                    for await _ in otherCommitted {}
                    try await connection.execute("UPDATE items SET n = n + 10 WHERE id = 'a'")
                }
            }
            for await _ in snapshotTaken {}
            try await database.write { try await $0.execute("UPDATE items SET n = n + 100 WHERE id = 'a'") }
            otherSignal.finish()
            let conflict = await #expect(throws: PersistenceError.self) { try await first.value }
            #expect(conflict?.code == .serializationFailure)
            #expect(try await database.read { try await $0.integer("SELECT n FROM items WHERE id = 'a'") } == 101)
        }
    }

    @Test func aReplayedWriteSucceedsAfterTheConflictThatFailedIt() async throws {
        try await TestBackend.postgres.withDatabase(schema: DatabaseConformanceTests.schema) { database in
            try await database.write { try await $0.execute("INSERT INTO items (id, n) VALUES ('a', 1)") }
            let (snapshotTaken, snapshotSignal) = AsyncStream.makeStream(of: Void.self)
            let (otherCommitted, otherSignal) = AsyncStream.makeStream(of: Void.self)
            let attempts = Counter()
            let first = Task {
                try await database.write(replaying: 2) { connection in
                    let attempt = attempts.increment()
                    _ = try await connection.integer("SELECT n FROM items WHERE id = 'a'")
                    if attempt == 1 {
                        snapshotSignal.finish()
                        for await _ in otherCommitted {}
                    }
                    try await connection.execute("UPDATE items SET n = n + 10 WHERE id = 'a'")
                }
            }
            for await _ in snapshotTaken {}
            try await database.write { try await $0.execute("UPDATE items SET n = n + 100 WHERE id = 'a'") }
            otherSignal.finish()
            try await first.value
            #expect(attempts.value == 2)
            #expect(try await database.read { try await $0.integer("SELECT n FROM items WHERE id = 'a'") } == 111)
        }
    }

    @Test func aSchemaOfItsOwnHoldsTheUnqualifiedNames() async throws {
        try await TestBackend.postgres.withDatabase(schema: DatabaseConformanceTests.schema) { database in
            let schema = try await database.read { try await $0.text("SELECT current_schema()") }
            #expect(schema?.hasPrefix("test_") == true)
            let tables = try await database.read { connection in
                try await connection.texts(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() "
                        + "ORDER BY table_name")
            }
            #expect(tables == ["children", "items", "parents"])
        }
    }

    @Test func urlsNameTheServerAndTheLogin() throws {
        let configuration = try #require(
            PostgresDatabase.Configuration(url: "postgresql://orion:p%40ss@db.example:6543/broker"))
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "orion")
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == "broker")
        let defaults = try #require(PostgresDatabase.Configuration(url: "postgres://localhost"))
        #expect(defaults.port == 5432)
        #expect(defaults.username == "postgres")
        #expect(defaults.database == "postgres")
        #expect(PostgresDatabase.Configuration(url: "mysql://localhost/x") == nil)
        #expect(PostgresDatabase.Configuration(url: "postgresql:///x") == nil)
    }
}

/// Counts the attempts of a replayed write.
private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() -> Int {
        count.withLock { count in
            count += 1
            return count
        }
    }
}
