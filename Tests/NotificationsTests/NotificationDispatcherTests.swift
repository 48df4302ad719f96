import InMemoryLogging
import Logging
import NIOCore
import Notifications
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Notification dispatcher")
struct NotificationDispatcherTests {
    private func settings(_ mode: DeliverySettings.Mode, simulated: Bool = false) -> DeliverySettings {
        var settings = DeliverySettings()
        settings.mode = mode
        settings.simulated = simulated
        return settings
    }

    private func threadpool(
        capacity: Int, workers: Int, reserved: [String: DeliverySettings.Queue] = [:]
    ) -> DeliverySettings.Mode {
        .threadpool(default: .init(capacity: capacity, workers: workers), reserved: reserved)
    }

    /// Runs `dispatcher` in a service group during `body`, then shuts the group down gracefully and waits for it.
    private func whileRunning(
        _ dispatcher: NotificationDispatcher, _ body: (ServiceGroup) async throws -> Void
    ) async throws {
        let group = ServiceGroup(services: [dispatcher], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(group)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("simulated: every notification is counted and completed at once, nothing sent")
    func simulated() async throws {
        let server = try await RecordingHTTPServer()
        let dispatcher = NotificationDispatcher(
            settings: settings(.threadpool(default: .init(capacity: 1, workers: 1), reserved: [:]), simulated: true),
            logger: quietLogger)
        let recorder = OutcomeRecorder()
        for index in 1...3 {
            dispatcher.submit(httpNotification(server.url()), completion: recorder.completion("\(index)"))
        }
        #expect(recorder.all == [.simulated, .simulated, .simulated])
        #expect(dispatcher.simulatedCount == 3)
        #expect(dispatcher.statistics == DeliveryStatistics())
        #expect(server.connectionCount == 0)
        await server.close()
    }

    @Test("transient: each notification goes at once on a connection of its own; only sentOK and sentError count")
    func transient() async throws {
        let server = try await RecordingHTTPServer()
        let refused = try await closedPort()
        let dispatcher = NotificationDispatcher(settings: settings(.transient), logger: quietLogger)
        let recorder = OutcomeRecorder()
        try await whileRunning(dispatcher) { _ in
            for index in 1...4 {
                dispatcher.submit(
                    httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
            }
            dispatcher.submit(
                httpNotification("http://127.0.0.1:\(refused)/"), completion: recorder.completion("refused"))
            await recorder.waitFor(5)
        }
        for index in 1...4 {
            #expect(recorder.outcome("\(index)") == .delivered(statusCode: 200))
        }
        #expect(recorder.outcome("refused") == .failed(reason: "Couldn't connect to server"))
        #expect(server.connectionCount == 4)
        #expect(server.requests.allSatisfy { $0.headers.last == .init("Connection", "close") })
        var expected = DeliveryStatistics()
        expected.sentOK = 4
        expected.sentError = 1
        #expect(dispatcher.statistics == expected)
        await server.close()
    }

    @Test("transient: notifications are not queued; all of them are in flight at once")
    func transientConcurrency() async throws {
        let server = try await RecordingHTTPServer { _ in .status(200, delay: .milliseconds(600)) }
        let dispatcher = NotificationDispatcher(settings: settings(.transient), logger: quietLogger)
        let recorder = OutcomeRecorder()
        try await whileRunning(dispatcher) { _ in
            for index in 1...20 {
                dispatcher.submit(
                    httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
            }
            await recorder.waitFor(20)
        }
        #expect(recorder.all == Array(repeating: .delivered(statusCode: 200), count: 20))
        #expect(server.maximumConcurrentRequests == 20)
        #expect(server.connectionCount == 20)
        #expect(dispatcher.waitingCount == 0)
        await server.close()
    }

    @Test("persistent: sequential notifications reuse one connection")
    func persistent() async throws {
        let server = try await RecordingHTTPServer()
        let dispatcher = NotificationDispatcher(settings: settings(.persistent), logger: quietLogger)
        let recorder = OutcomeRecorder()
        try await whileRunning(dispatcher) { _ in
            for index in 1...4 {
                dispatcher.submit(
                    httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
                await recorder.waitFor(index)
            }
        }
        #expect(recorder.all == Array(repeating: .delivered(statusCode: 200), count: 4))
        #expect(server.connectionCount == 1)
        #expect(server.requests.map(\.uri) == ["/1", "/2", "/3", "/4"])
        #expect(server.requests.allSatisfy { !$0.headers.contains { $0.name == "Connection" } })
        await server.close()
    }

    @Test("threadpool: a queue is sent in submission order; notifications submitted before run() wait for it")
    func fifo() async throws {
        let server = try await RecordingHTTPServer()
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 10, workers: 1)), logger: quietLogger)
        let recorder = OutcomeRecorder()
        for index in 1...6 {
            dispatcher.submit(httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
        }
        #expect(dispatcher.waitingCount == 6)
        #expect(recorder.count == 0)
        try await whileRunning(dispatcher) { _ in await recorder.waitFor(6) }
        #expect(server.requests.map(\.uri) == ["/1", "/2", "/3", "/4", "/5", "/6"])
        #expect(recorder.labels == ["1", "2", "3", "4", "5", "6"])
        #expect(server.connectionCount == 1)
        await server.close()
    }

    @Test("threadpool: a full queue rejects at once, counts it and logs Orion's line at error level, once a run")
    func capacity() async throws {
        let server = try await RecordingHTTPServer()
        let log = InMemoryLogHandler()
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 2, workers: 1)), logger: Logger(label: "test") { _ in log })
        let recorder = OutcomeRecorder()
        for index in 1...4 {
            dispatcher.submit(httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
        }
        #expect(recorder.labels == ["3", "4"])
        #expect(recorder.all == [.rejected, .rejected])
        // Two rejections in a row: one line (a flood of them would otherwise cost the log as much again).
        #expect(log.entries.map { "\($0.level) \($0.message)" } == ["error Runtime Error (notification queue is full)"])
        // Rejecting before building counts and logs the same way, continuing the run.
        #expect(dispatcher.rejectIfFull(queue: ""))
        #expect(log.entries.count == 1)
        var expected = DeliveryStatistics()
        expected.queued = 2
        expected.rejected = 3
        expected.size = 2
        #expect(dispatcher.statistics == expected)
        #expect(dispatcher.waitingCount == 2)

        try await whileRunning(dispatcher) { _ in await recorder.waitFor(4) }
        #expect(recorder.outcome("1") == .delivered(statusCode: 200))
        #expect(recorder.outcome("2") == .delivered(statusCode: 200))
        let statistics = dispatcher.statistics
        #expect(statistics.queued == 2)
        #expect(statistics.dequeued == 2)
        #expect(statistics.rejected == 3)
        #expect(statistics.sentOK == 2)
        #expect(statistics.sentError == 0)
        #expect(statistics.size == 0)
        #expect(statistics.timeInQueue > 0)
        #expect(server.requests.map(\.uri) == ["/1", "/2"])
        await server.close()
    }

    @Test("threadpool: a notification waits in the queue reserved to its name, else in the default queue")
    func reservedQueues() async throws {
        let server = try await RecordingHTTPServer()
        let dispatcher = NotificationDispatcher(
            settings: settings(
                threadpool(capacity: 1, workers: 1, reserved: ["tenant1": .init(capacity: 2, workers: 1)])),
            logger: quietLogger)
        let recorder = OutcomeRecorder()
        let submissions = [("a", "tenant1"), ("b", "tenant1"), ("c", "tenant1"), ("d", ""), ("e", "other")]
        for (label, queue) in submissions {
            dispatcher.submit(
                httpNotification(server.url("/\(label)"), queue: queue), completion: recorder.completion(label))
        }
        // tenant1 holds a and b; the default queue holds d; c and e find their queue full.
        #expect(recorder.labels == ["c", "e"])
        #expect(dispatcher.waitingCount == 3)
        try await whileRunning(dispatcher) { _ in await recorder.waitFor(5) }
        #expect(Set(server.requests.map(\.uri)) == ["/a", "/b", "/d"])
        #expect(server.requests.map(\.uri).filter { $0 != "/d" } == ["/a", "/b"])
        await server.close()
    }

    @Test("threadpool: never more than `workers` notifications of a queue in flight")
    func workersBound() async throws {
        let server = try await RecordingHTTPServer { _ in .status(200, delay: .milliseconds(200)) }
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 100, workers: 3)), logger: quietLogger)
        let recorder = OutcomeRecorder()
        try await whileRunning(dispatcher) { _ in
            for index in 1...12 {
                dispatcher.submit(
                    httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
            }
            await recorder.waitFor(12)
        }
        #expect(recorder.all == Array(repeating: .delivered(statusCode: 200), count: 12))
        #expect(server.maximumConcurrentRequests == 3)
        #expect(server.connectionCount == 3)
        await server.close()
    }

    @Test("statistics count each outcome; reset zeroes all but size")
    func statisticsAndReset() async throws {
        let server = try await RecordingHTTPServer()
        let refused = try await closedPort()
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 10, workers: 2)), logger: quietLogger)
        let recorder = OutcomeRecorder()
        for index in 1...3 {
            dispatcher.submit(httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
        }
        dispatcher.submit(httpNotification("http://127.0.0.1:\(refused)/"), completion: recorder.completion("refused"))
        dispatcher.submit(
            OutboundNotification(
                destination: .mqtt(MQTTTarget(host: "127.0.0.1", port: 1883, topic: "t")), body: ByteBuffer()),
            completion: recorder.completion("mqtt"))
        try await whileRunning(dispatcher) { _ in await recorder.waitFor(5) }
        #expect(recorder.outcome("refused") == .failed(reason: "Couldn't connect to server"))
        #expect(recorder.outcome("mqtt") == .failed(reason: "MQTT is not available"))
        let statistics = dispatcher.statistics
        #expect(statistics.queued == 5)
        #expect(statistics.dequeued == 5)
        #expect(statistics.rejected == 0)
        #expect(statistics.sentOK == 3)
        #expect(statistics.sentError == 2)
        #expect(statistics.size == 0)
        #expect(statistics.timeInQueue > 0)

        dispatcher.resetStatistics()
        #expect(dispatcher.statistics == DeliveryStatistics())

        // Reset keeps what waits now.
        let idle = NotificationDispatcher(settings: settings(threadpool(capacity: 10, workers: 1)), logger: quietLogger)
        idle.submit(httpNotification(server.url()), completion: { _ in })
        idle.resetStatistics()
        var waiting = DeliveryStatistics()
        waiting.size = 1
        #expect(idle.statistics == waiting)
        await server.close()
    }

    @Test("the notification's timeout wins over the settings' HTTP timeout")
    func timeouts() async throws {
        let server = try await RecordingHTTPServer { _ in .noAnswer }
        var settings = settings(.transient)
        settings.httpTimeout = .milliseconds(200)
        let dispatcher = NotificationDispatcher(settings: settings, logger: quietLogger)
        let recorder = OutcomeRecorder()
        let clock = ContinuousClock()
        let start = clock.now
        try await whileRunning(dispatcher) { _ in
            dispatcher.submit(httpNotification(server.url("/settings")), completion: recorder.completion("settings"))
            dispatcher.submit(
                httpNotification(server.url("/own"), timeout: .milliseconds(600)),
                completion: recorder.completion("own"))
            await recorder.waitFor(2)
        }
        #expect(clock.now - start < .seconds(3))
        #expect(recorder.labels == ["settings", "own"])
        #expect(recorder.all == [.failed(reason: "Timeout was reached"), .failed(reason: "Timeout was reached")])
        await server.close()
    }

    @Test("waitForQueue returns once the queues are short enough, and at the latest after maximumWait")
    func flowControl() async throws {
        let server = try await RecordingHTTPServer()
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 10, workers: 1)), logger: quietLogger)
        let recorder = OutcomeRecorder()
        for index in 1...3 {
            dispatcher.submit(httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
        }
        let clock = ContinuousClock()

        var start = clock.now
        await dispatcher.waitForQueue(atMost: 3, stepDelay: .milliseconds(10), maximumWait: .seconds(5))
        #expect(clock.now - start < .milliseconds(100))

        start = clock.now
        await dispatcher.waitForQueue(atMost: 1, stepDelay: .milliseconds(20), maximumWait: .milliseconds(150))
        let waited = clock.now - start
        #expect(waited >= .milliseconds(150))
        // Bounded, with room for a loaded machine (it took 2.2 s once, with the other suites' work on both cores).
        #expect(waited < .seconds(5))
        #expect(dispatcher.waitingCount == 3)

        try await whileRunning(dispatcher) { _ in
            let start = clock.now
            await dispatcher.waitForQueue(atMost: 0, stepDelay: .milliseconds(5), maximumWait: .seconds(10))
            #expect(dispatcher.waitingCount == 0)
            #expect(clock.now - start < .seconds(5))
            await recorder.waitFor(3)
        }
        await server.close()
    }

    @Test("graceful shutdown drains the queue, then refuses new notifications")
    func gracefulShutdownDrains() async throws {
        let server = try await RecordingHTTPServer { _ in .status(200, delay: .milliseconds(30)) }
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 10, workers: 1)), logger: quietLogger)
        let recorder = OutcomeRecorder()
        for index in 1...5 {
            dispatcher.submit(httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
        }
        let group = ServiceGroup(services: [dispatcher], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(recorder.labels == ["1", "2", "3", "4", "5"])
        #expect(recorder.all == Array(repeating: .delivered(statusCode: 200), count: 5))
        #expect(server.requests.map(\.uri) == ["/1", "/2", "/3", "/4", "/5"])

        dispatcher.submit(httpNotification(server.url("/late")), completion: recorder.completion("late"))
        #expect(recorder.outcome("late") == .failed(reason: "shutting down"))
        #expect(server.requests.count == 5)
        await server.close()
    }

    @Test("graceful shutdown lets in-flight transient notifications finish")
    func gracefulShutdownTransient() async throws {
        let server = try await RecordingHTTPServer { _ in .status(200, delay: .milliseconds(100)) }
        let dispatcher = NotificationDispatcher(settings: settings(.transient), logger: quietLogger)
        let recorder = OutcomeRecorder()
        try await whileRunning(dispatcher) { _ in
            for index in 1...3 {
                dispatcher.submit(
                    httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
            }
            await server.waitForRequests(3)
        }
        #expect(recorder.all == Array(repeating: .delivered(statusCode: 200), count: 3))
        await server.close()
    }

    @Test("cancellation fails the notifications still waiting")
    func cancellation() async throws {
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 10, workers: 1)), logger: quietLogger)
        let server = try await RecordingHTTPServer { _ in .noAnswer }
        let recorder = OutcomeRecorder()
        for index in 1...3 {
            dispatcher.submit(
                httpNotification(server.url("/\(index)"), timeout: .milliseconds(300)),
                completion: recorder.completion("\(index)"))
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await dispatcher.run() }
            await server.waitForRequests(1)
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
        #expect(recorder.count == 3)
        #expect(recorder.outcome("1") == .failed(reason: "Timeout was reached"))
        #expect(recorder.outcome("2") == .failed(reason: "shutting down"))
        #expect(recorder.outcome("3") == .failed(reason: "shutting down"))
        await server.close()
    }

    @Test("MQTT notifications go to the MQTT transport with its timeout, and run() shuts it down")
    func mqttRouting() async throws {
        let mqtt = RecordingTransport()
        var settings = settings(threadpool(capacity: 10, workers: 1))
        settings.mqttTimeout = .milliseconds(1500)
        let dispatcher = NotificationDispatcher(settings: settings, logger: quietLogger, mqtt: mqtt)
        let recorder = OutcomeRecorder()
        let target = MQTTTarget(host: "127.0.0.1", port: 1883, topic: "room/1")
        dispatcher.submit(
            OutboundNotification(destination: .mqtt(target), body: ByteBuffer(string: "a")),
            completion: recorder.completion("default"))
        dispatcher.submit(
            OutboundNotification(destination: .mqtt(target), body: ByteBuffer(string: "b"), timeout: .seconds(2)),
            completion: recorder.completion("own"))
        try await whileRunning(dispatcher) { _ in await recorder.waitFor(2) }
        #expect(recorder.all == [.delivered(statusCode: nil), .delivered(statusCode: nil)])
        #expect(mqtt.deliveries == [.milliseconds(1500), .seconds(2)])
        #expect(mqtt.shutdownCount == 1)
        #expect(dispatcher.statistics.sentOK == 2)
    }

    @Test("threadpool over kept connections: every one of many notifications completes exactly once")
    func manyNotifications() async throws {
        let server = try await RecordingHTTPServer()
        let dispatcher = NotificationDispatcher(
            settings: settings(threadpool(capacity: 5000, workers: 10)), logger: quietLogger)
        let recorder = OutcomeRecorder()
        let count = 2000
        try await whileRunning(dispatcher) { _ in
            for index in 0..<count {
                dispatcher.submit(
                    httpNotification(server.url("/\(index)")), completion: recorder.completion("\(index)"))
            }
            await recorder.waitFor(count, timeout: .seconds(60))
        }
        #expect(recorder.count == count)
        #expect(Set(recorder.labels).count == count)
        #expect(recorder.all.allSatisfy { $0 == .delivered(statusCode: 200) })
        #expect(server.requests.count == count)
        #expect(server.connectionCount <= 10)
        let statistics = dispatcher.statistics
        #expect(statistics.queued == count)
        #expect(statistics.dequeued == count)
        #expect(statistics.sentOK == count)
        #expect(statistics.size == 0)
        await server.close()
    }
}

/// A transport that answers every notification at once and records the timeout it was given.
private final class RecordingTransport: NotificationTransport {
    private let state = Mutex<(deliveries: [Duration], shutdowns: Int)>(([], 0))

    var deliveries: [Duration] { state.withLock { $0.deliveries } }
    var shutdownCount: Int { state.withLock { $0.shutdowns } }

    func deliver(_ notification: OutboundNotification, timeout: Duration) async -> DeliveryOutcome {
        state.withLock { $0.deliveries.append(timeout) }
        return .delivered(statusCode: nil)
    }

    func shutdown() async {
        state.withLock { $0.shutdowns += 1 }
    }
}
