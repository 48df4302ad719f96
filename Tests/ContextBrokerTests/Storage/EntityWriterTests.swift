import Foundation
import Persistence
import Synchronization
import Testing

@testable import ContextBroker

/// An ``EntityWriter`` on a real SQLite file in a temporary folder, recording what it emits.
struct WriterFixture {
    let writer: EntityWriter
    let sink = RecordingSink()

    init() throws {
        let path = NSTemporaryDirectory() + "entity-writer-" + UUID().uuidString + "/orion.sqlite"
        let database = try SQLiteDatabase(
            path: path, migrations: BrokerSchema.migrations, functions: BrokerSchema.functions)
        writer = EntityWriter(database: database, tenant: "t1", sink: sink)
    }

    var emitted: [ChangeEvent] { sink.events.withLock { $0 } }

    static func payload(_ json: String) throws -> PayloadDecoder.EntityPayload {
        try PayloadDecoder.entity(try JSONParser.parse(json), keyValues: false)
    }

    static func payloads(_ json: String...) throws -> [PayloadDecoder.EntityPayload] {
        try json.map(payload)
    }

    @discardableResult
    func create(_ json: String, upsert: Bool = false, forced: Bool = false) async throws -> ChangeEvent {
        try await writer.create(
            try Self.payload(json), servicePath: "/", upsert: upsert, options: .init(), forced: forced)
    }

    /// The stored entity, read back outside the writer.
    func stored(_ id: String) async throws -> Entity? {
        try await writer.database.read { connection in
            try await EntityStore.find(
                connection, id: id, type: nil, scopes: [.init(path: "/", recursive: false)], now: 0
            )
            .first?.entity
        }
    }
}

@Suite struct EntityWriterTests {
    @Test func createEmitsOneEntityCreateWithTheNewValues() async throws {
        let fixture = try WriterFixture()
        let event = try await fixture.create(#"{"id":"E","type":"T","a":{"value":1},"b":{"value":"x"}}"#)
        #expect(event.kind == .entityCreate)
        #expect(event.tenant == "t1")
        #expect(event.previous == nil)
        #expect(event.current?.attribute(named: "a")?.value == .number(1))
        #expect(event.changedAttributes == ["a", "b"])
        #expect(fixture.emitted == [event])
    }

    @Test func upsertEmitsChangeOrUpdateByWhetherTheValuesChanged() async throws {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E","type":"T","a":{"value":1}}"#)
        let same = try await fixture.create(#"{"id":"E","type":"T","a":{"value":1}}"#, upsert: true)
        #expect(same.kind == .entityUpdate)
        let forced = try await fixture.create(#"{"id":"E","type":"T","a":{"value":1}}"#, upsert: true, forced: true)
        #expect(forced.kind == .entityChange)
        let changed = try await fixture.create(#"{"id":"E","type":"T","a":{"value":2}}"#, upsert: true)
        #expect(changed.kind == .entityChange)
        #expect(changed.previous?.attribute(named: "a")?.value == .number(1))
        #expect(changed.current?.attribute(named: "a")?.value == .number(2))
        #expect(fixture.emitted.map(\.kind) == [.entityCreate, .entityUpdate, .entityChange, .entityChange])
    }

    @Test func modifyEmitsThePreviousAndCurrentEntity() async throws {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E","type":"T","a":{"value":1}}"#)
        let update = try WriterFixture.payload(#"{"id":"E","a":{"value":5}}"#).attributes
        let event = try await fixture.writer.modify(id: "E", type: nil, servicePath: "/", forced: false) {
            entity, now in
            entity.merge(update, at: now, options: .init())
            return .changed(["a"])
        }
        #expect(event.kind == .entityChange)
        #expect(event.previous?.attribute(named: "a")?.value == .number(1))
        #expect(event.current?.attribute(named: "a")?.value == .number(5))
        #expect(event.changedAttributes == ["a"])
        await #expect(try fixture.stored("E")?.attribute(named: "a")?.value == .number(5))
    }

    @Test func deleteEmitsEntityDeleteNamingEveryAttribute() async throws {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E","type":"T","a":{"value":1},"b":{"value":2}}"#)
        let event = try await fixture.writer.delete(id: "E", type: "T", servicePath: "/")
        #expect(event.kind == .entityDelete)
        #expect(event.current == nil)
        #expect(event.previous?.id == "E")
        #expect(event.changedAttributes == ["a", "b"])
        await #expect(try fixture.stored("E") == nil)
    }

    @Test func aRolledBackWriteEmitsNothing() async throws {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E","type":"T","a":{"value":1}}"#)
        // A change closure that fails: 422 from the route, nothing written, nothing emitted.
        await #expect(throws: NGSIError.self) {
            try await fixture.writer.modify(id: "E", type: nil, servicePath: "/", forced: false) { entity, _ in
                entity.attributes = []
                throw NGSIError(.unprocessable, "no")
            }
        }
        // A transaction that wrote an entity, then failed: the insert is rolled back with its event.
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await fixture.writer.commit { transaction in
                try await transaction.insert(
                    Entity(id: "F", type: "T", servicePath: "/", created: 0, modified: 0, attributes: []))
                throw Failure()
            }
        }
        await #expect(throws: NGSIError.alreadyExists) { try await fixture.create(#"{"id":"E","type":"T"}"#) }
        #expect(fixture.emitted.map(\.kind) == [.entityCreate])
        await #expect(try fixture.stored("F") == nil)
        await #expect(try fixture.stored("E")?.attributes.count == 1)
    }

    static let batchCases: [(EntityWriter.BatchAction, [ChangeEvent.Kind])] = [
        // E exists with a=1; N does not exist.
        (.append, [.entityChange, .entityCreate]),
        (.appendStrict, [.entityUpdate, .entityCreate]),
        (.update, [.entityChange]),
        (.replace, [.entityChange]),
        (.delete, [.entityChange]),
    ]

    @Test(arguments: batchCases)
    func batchEmitsOneEventPerWrittenEntity(action: EntityWriter.BatchAction, kinds: [ChangeEvent.Kind])
        async throws
    {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E","type":"T","a":{"value":1},"b":{"value":2}}"#)
        let payloads = try WriterFixture.payloads(
            #"{"id":"E","type":"T","a":{"value":9}}"#, #"{"id":"N","type":"T","a":{"value":3}}"#)
        let committed = try await fixture.writer.batch(
            action, payloads, servicePath: "/", options: .init(), forced: false)
        #expect(committed.events.map(\.kind) == kinds)
        #expect(Array(fixture.emitted.dropFirst()) == committed.events)
        let changed = try #require(committed.events.first)
        #expect(changed.previous?.attribute(named: "a")?.value == .number(1))
        #expect(changed.changedAttributes == ["a"])
    }

    @Test func batchDeleteOfWholeEntitiesEmitsEntityDelete() async throws {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E1","type":"T","a":{"value":1}}"#)
        try await fixture.create(#"{"id":"E2","type":"T"}"#)
        let committed = try await fixture.writer.batch(
            .delete, try WriterFixture.payloads(#"{"id":"E1","type":"T"}"#, #"{"id":"E2","type":"T"}"#),
            servicePath: "/", options: .init(), forced: false)
        #expect(committed.events.map(\.kind) == [.entityDelete, .entityDelete])
        #expect(committed.events.map { $0.previous?.id } == ["E1", "E2"])
        #expect(committed.value.isEmpty)
    }

    @Test func batchReportsFailuresAndEmitsOnlyForWhatItWrote() async throws {
        let fixture = try WriterFixture()
        try await fixture.create(#"{"id":"E","type":"T","a":{"value":1}}"#)
        let committed = try await fixture.writer.batch(
            .update, try WriterFixture.payloads(#"{"id":"M","type":"T","a":{"value":1}}"#), servicePath: "/",
            options: .init(), forced: false)
        #expect(committed.events.isEmpty)
        #expect(committed.value.map(\.payload.id) == ["M"])
        #expect(fixture.emitted.count == 1)
    }
}
