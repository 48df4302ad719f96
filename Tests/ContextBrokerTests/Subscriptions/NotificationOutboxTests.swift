import Foundation
import Logging
import NIOCore
import Notifications
import Persistence
import ServiceLifecycle
import Testing

@testable import ContextBroker

/// `-notifOutbox`: changes journaled with their write, and notified after a stop that left them behind.
@Suite struct NotificationOutboxTests {
    @Test("a journaled event and an outbox notification read back as written")
    func codecsRoundTrip() throws {
        let entity = Entity(
            id: "Room1", type: "Room", servicePath: "/a", created: 10, modified: 20, expires: 30,
            attributes: [
                Attribute(
                    name: "t", type: "Number", value: .number(1.5),
                    metadata: [Metadata(name: "unit", type: "Text", value: .string("C"))], created: 10, modified: 20)
            ])
        let event = ChangeEvent(
            kind: .entityChange, tenant: "smart", previous: entity, current: entity, changedAttributes: ["t"],
            origin: ChangeOrigin(correlator: "c1", fromNotification: true, authToken: "tok"))
        #expect(try ChangeEventCodec.decode(ChangeEventCodec.encode(event)) == event)
        let deleted = ChangeEvent(
            kind: .entityDelete, tenant: "", previous: entity, current: nil, changedAttributes: ["t"])
        #expect(try ChangeEventCodec.decode(ChangeEventCodec.encode(deleted)) == deleted)
        #expect(throws: PersistenceError.self) { try ChangeEventCodec.decode(#"{"kind":"nonsense"}"#) }

        let http = OutboundNotification(
            destination: .http(
                HTTPTarget(url: "http://r/n?a=1", method: "PUT", headers: [.init("A", "1"), .init("B", "2")])),
            body: ByteBuffer(string: "{}"), queue: "smart", timeout: .milliseconds(250))
        let readBack = try OutboundNotificationCodec.decode(
            OutboundNotificationCodec.encode(http), body: Array("{}".utf8))
        #expect(readBack.destination == http.destination)
        #expect(readBack.body == http.body)
        #expect(readBack.queue == "smart")
        #expect(readBack.timeout == .milliseconds(250))
        let mqtt = OutboundNotification(
            destination: .mqtt(
                MQTTTarget(host: "::1", port: 1884, topic: "t", qos: 2, retain: true, user: "u", password: "p")),
            body: ByteBuffer())
        #expect(
            try OutboundNotificationCodec.decode(OutboundNotificationCodec.encode(mqtt), body: []).destination
                == mqtt.destination)
    }

    @Test("changes journaled by writes whose notifications never ran are notified at the next start")
    func journaledChangesAreNotifiedAfterARestart() async throws {
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = NSTemporaryDirectory() + "outbox-" + UUID().uuidString
        configuration.notifications.outbox = true
        configuration.notifications.simulated = true
        configuration.notifications.mode = .threadpool(queueSize: 10, workers: 2, services: [])

        // A first broker commits two changes but its notification side never runs (a stop right after the
        // writes): the events stay in the journal.
        let first = ContextBroker(
            configuration: configuration, sink: DiscardingChangeSink(), logger: Logger(label: "test"))
        let subscription = try #require(
            try SubscriptionPayload(
                JSONParser.parse(
                    #"{"subject":{"entities":[{"idPattern":".*"}]},"notification":{"http":{"url":"http://127.0.0.1:9/"}}}"#
                ),
                update: false
            ).subscription(id: "5f0c4e7d8a9b0c1d2e3f4a5b", tenant: "", servicePath: "/#"))
        let database = try await first.database(tenant: "")
        try await database.write { connection in try await SubscriptionStore.insert(connection, subscription) }
        let writer = EntityWriter(database: database, tenant: "", sink: DiscardingChangeSink(), journals: true)
        try await writer.create(
            try PayloadDecoder.entity(try JSONParser.parse(#"{"id":"R","type":"Room","t":1}"#), keyValues: true),
            servicePath: "/", upsert: false, options: .init(), forced: false)
        try await writer.modify(id: "R", type: nil, servicePath: "/", forced: false) { entity, now in
            entity.attributes[0].value = .number(2)
            return .changed(["t"])
        }
        #expect(try await database.read { try await NotificationOutboxStore.journaled($0).count } == 2)

        // The next start notifies both and empties the journal and the outbox.
        let runtime = ContextBrokerRuntime(configuration: configuration, logger: Logger(label: "test"))
        let group = ServiceGroup(services: runtime.services, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while runtime.broker.subscriptions.subscription(id: subscription.id, tenant: "")?.counters.timesSent != 2 {
                try #require(ContinuousClock.now < deadline, "the journaled changes were not notified")
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(300))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let reopened = try await runtime.broker.database(tenant: "")
        #expect(try await reopened.read { try await NotificationOutboxStore.journaled($0).count } == 0)
        #expect(try await reopened.read { try await NotificationOutboxStore.pending($0).count } == 0)
        #expect(runtime.dispatcher.simulatedCount == 2)
    }
}
