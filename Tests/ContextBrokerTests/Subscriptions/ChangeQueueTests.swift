import Logging
import Synchronization
import Testing

@testable import ContextBroker

@Suite struct ChangeQueueTests {
    static func event(_ id: String) -> ChangeEvent {
        let entity = Entity(id: id, type: "T", servicePath: "/", created: 0, modified: 0, attributes: [])
        return ChangeEvent(kind: .entityCreate, tenant: "", previous: nil, current: entity, changedAttributes: [])
    }

    @Test func dropsAndCountsTheNewestEventsWhenFull() async throws {
        let consumer = RecordingSink()
        let queue = ChangeQueue(capacity: 2, logger: Logger(label: "test"))
        #expect(queue.enqueue([Self.event("A"), Self.event("B"), Self.event("C")]) == 1)
        await queue.entitiesChanged([Self.event("D")])
        #expect(queue.droppedCount == 2)
        queue.finish()
        await queue.drain(into: consumer)
        #expect(consumer.events.withLock { $0.map { $0.entity?.id } } == ["A", "B"])
    }

    @Test func deliversInCommitOrderAndMakesRoomAsItDelivers() async throws {
        let consumer = RecordingSink()
        let queue = ChangeQueue(capacity: 1, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await queue.drain(into: consumer) }
            for id in ["A", "B", "C"] {
                // Waits for the consumer to take the previous event: the queue holds one.
                while queue.enqueue([Self.event(id)]) > 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            queue.finish()
            try await group.waitForAll()
        }
        #expect(consumer.events.withLock { $0.map { $0.entity?.id } } == ["A", "B", "C"])
    }

    @Test("with the outbox, a write waits for room instead of dropping its events")
    func waitsForRoomWhenAskedTo() async throws {
        let consumer = RecordingSink()
        let queue = ChangeQueue(capacity: 1, waitsWhenFull: true, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Three events of one write, one at a time through a queue of one, before the consumer runs.
            group.addTask { await queue.entitiesChanged([Self.event("A"), Self.event("B"), Self.event("C")]) }
            try await Task.sleep(for: .milliseconds(50))
            group.addTask { await queue.drain(into: consumer) }
            while consumer.events.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(1)) }
            queue.finish()
            try await group.waitForAll()
        }
        #expect(queue.droppedCount == 0)
        #expect(consumer.events.withLock { $0.map { $0.entity?.id } } == ["A", "B", "C"])
    }

    @Test("a write with options=flowControl returns once the consumer is done with its events")
    func flowControlWaitsForTheConsumer() async throws {
        let consumer = RecordingSink()
        let queue = ChangeQueue(capacity: 10, logger: Logger(label: "test"))
        var flowControlled = Self.event("A")
        flowControlled.origin.flowControl = true
        let event = flowControlled
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await queue.entitiesChanged([event])
                // The consumer has the event by the time the write returns.
                #expect(consumer.events.withLock { $0.count } == 1)
            }
            try await Task.sleep(for: .milliseconds(20))
            #expect(consumer.events.withLock { $0.isEmpty })
            group.addTask { await queue.drain(into: consumer) }
            try await group.next()
            queue.finish()
            try await group.waitForAll()
        }
    }
}
