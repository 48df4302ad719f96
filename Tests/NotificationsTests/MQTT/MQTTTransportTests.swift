import Foundation
import Logging
import NIOCore
import NIOPosix
import Notifications
import Testing

/// The transport end to end: against a real mosquitto started by each test on its own port (18200–18299), and
/// against scripted servers for the failures mosquitto cannot be made to show.
@Suite("MQTT transport")
struct MQTTTransportTests {
    static func transport(
        connectTimeout: Duration = .seconds(5), maximumAge: Duration = .seconds(60), keepAlive: Duration = .seconds(60)
    ) -> MQTTTransport {
        MQTTTransport(
            group: MultiThreadedEventLoopGroup.singleton, connectTimeout: connectTimeout, maximumAge: maximumAge,
            keepAlive: keepAlive, logger: Logger(label: "atrium.test.mqtt"))
    }

    static func notification(
        port: Int, topic: String, _ payload: String, qos: Int = 0, retain: Bool = false, user: String? = nil,
        password: String? = nil
    ) -> OutboundNotification {
        OutboundNotification(
            destination: .mqtt(
                MQTTTarget(
                    host: "127.0.0.1", port: port, topic: topic, qos: qos, retain: retain, user: user,
                    password: password)),
            body: ByteBuffer(string: payload))
    }

    /// Polls `condition` every 20 ms for at most `limit`.
    static func eventually(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    // MARK: - Delivery

    @Test("QoS 0, 1 and 2 publications reach a subscriber with their exact topic and payload", arguments: [0, 1, 2])
    func delivery(qos: Int) async throws {
        let port = 18_201 + qos
        let broker = try MosquittoBroker(port: port)
        try await broker.start()
        var (subscriber, messages) = try await MQTTTestSubscriber.subscribe(port: port, topic: "atrium/#")
        let transport = Self.transport()
        let payload = #"{"subscriptionId":"s1","data":[{"id":"Room1","temperature":\#(qos)}]}"#
        let outcome = await transport.deliver(
            Self.notification(port: port, topic: "atrium/qos\(qos)", payload, qos: qos), timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: nil))
        let received = try #require(await messages.nextPublish())
        #expect(received.topic == "atrium/qos\(qos)")
        #expect(received.payload == ByteBuffer(string: payload))
        #expect(received.qualityOfService.rawValue == UInt8(qos))
        #expect(!received.retain)
        await subscriber.close()
        await transport.shutdown()
        await broker.stop()
    }

    @Test("a notification of 200 kB (a three-byte Remaining Length) arrives intact")
    func largeNotification() async throws {
        let broker = try MosquittoBroker(port: 18_212)
        try await broker.start()
        var (subscriber, messages) = try await MQTTTestSubscriber.subscribe(port: 18_212, topic: "large")
        let transport = Self.transport()
        let payload = String((0..<200_000).map { Character(Unicode.Scalar(UInt8(0x41 + $0 % 26))) })
        let outcome = await transport.deliver(
            Self.notification(port: 18_212, topic: "large", payload, qos: 1), timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: nil))
        let received = try #require(await messages.nextPublish())
        #expect(received.payload == ByteBuffer(string: payload))
        await subscriber.close()
        await transport.shutdown()
        await broker.stop()
    }

    @Test("a retained publication reaches a subscriber that subscribes after it, flagged RETAIN")
    func retain() async throws {
        let broker = try MosquittoBroker(port: 18_205)
        try await broker.start()
        let transport = Self.transport()
        let outcome = await transport.deliver(
            Self.notification(port: 18_205, topic: "atrium/retained", "kept", qos: 1, retain: true),
            timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: nil))
        var (subscriber, messages) = try await MQTTTestSubscriber.subscribe(port: 18_205, topic: "atrium/retained")
        let received = try #require(await messages.nextPublish())
        #expect(received.topic == "atrium/retained")
        #expect(received.payload == ByteBuffer(string: "kept"))
        #expect(received.retain)
        await subscriber.close()
        await transport.shutdown()
        await broker.stop()
    }

    @Test("the right user and password are accepted; a wrong password fails with the CONNACK refusal")
    func credentials() async throws {
        let broker = try MosquittoBroker(port: 18_206, credentials: ("alice", "s3cret"))
        try await broker.start()
        var (subscriber, messages) = try await MQTTTestSubscriber.subscribe(
            port: 18_206, topic: "secure", user: "alice", password: "s3cret")
        let transport = Self.transport()
        let accepted = await transport.deliver(
            Self.notification(port: 18_206, topic: "secure", "hello", qos: 1, user: "alice", password: "s3cret"),
            timeout: .seconds(5))
        #expect(accepted == .delivered(statusCode: nil))
        #expect(await messages.nextPublish()?.payload == ByteBuffer(string: "hello"))
        let refused = await transport.deliver(
            Self.notification(port: 18_206, topic: "secure", "nope", qos: 1, user: "alice", password: "wrong"),
            timeout: .seconds(5))
        // mosquitto 2 answers a wrong password with return code 5.
        #expect(refused == .failed(reason: "Connection Refused, not authorized"))
        let anonymous = await transport.deliver(
            Self.notification(port: 18_206, topic: "secure", "nope"), timeout: .seconds(5))
        #expect(anonymous == .failed(reason: "Connection Refused, not authorized"))
        await subscriber.close()
        await transport.shutdown()
        await broker.stop()
    }

    @Test("mosquitto_sub, an independent subscriber, receives the publications")
    func mosquittoSubscriber() async throws {
        let broker = try MosquittoBroker(port: 18_210)
        try await broker.start()
        let output = broker.folder.appendingPathComponent("sub.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let subscriber = Process()
        // stdbuf makes mosquitto_sub write each line at once, so its SUBACK shows before it exits.
        subscriber.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        subscriber.arguments = [
            "-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", "18210", "-t", "orion/#", "-C", "2", "-W", "10",
            "-v", "-d",
        ]
        subscriber.standardInput = FileHandle.nullDevice
        subscriber.standardOutput = handle
        subscriber.standardError = handle
        try subscriber.run()
        defer { if subscriber.isRunning { kill(subscriber.processIdentifier, SIGKILL) } }
        let subscribed = await Self.eventually {
            (try? String(contentsOf: output, encoding: .utf8))?.contains("received SUBACK") ?? false
        }
        try #require(subscribed, "mosquitto_sub did not subscribe")
        let transport = Self.transport()
        #expect(
            await transport.deliver(
                Self.notification(port: 18_210, topic: "orion/a", "one", qos: 2), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        #expect(
            await transport.deliver(
                Self.notification(port: 18_210, topic: "orion/b/c", "two words", qos: 0), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        #expect(await Self.eventually(within: .seconds(12)) { !subscriber.isRunning }, "mosquitto_sub did not exit")
        try? handle.close()
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains("orion/a one"))
        #expect(lines.contains("orion/b/c two words"))
        await transport.shutdown()
        await broker.stop()
    }

    // MARK: - Connections

    @Test("publications share one connection, several in flight at once")
    func reuse() async throws {
        let broker = try MosquittoBroker(port: 18_208)
        try await broker.start()
        var (subscriber, messages) = try await MQTTTestSubscriber.subscribe(port: 18_208, topic: "many")
        let transport = Self.transport()
        let outcomes = await withTaskGroup(of: DeliveryOutcome.self) { group in
            for index in 0..<20 {
                group.addTask {
                    await transport.deliver(
                        Self.notification(port: 18_208, topic: "many", "\(index)", qos: index % 3), timeout: .seconds(5)
                    )
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: .delivered(statusCode: nil), count: 20))
        #expect(transport.connectionCount == 1)
        var payloads: Set<String> = []
        for _ in 0..<20 {
            guard let publish = await messages.nextPublish() else { break }
            payloads.insert(String(buffer: publish.payload))
        }
        #expect(payloads == Set((0..<20).map(String.init)))
        await subscriber.close()
        await transport.shutdown()
        #expect(transport.connectionCount == 0)
        #expect(
            await transport.deliver(Self.notification(port: 18_208, topic: "many", "late"), timeout: .seconds(1))
                == .failed(reason: "MQTT connection closed"))
        await broker.stop()
    }

    @Test("keep-alive PINGREQ holds an idle connection open past the broker's 1.5 × keep-alive limit")
    func keepAlive() async throws {
        let broker = try MosquittoBroker(port: 18_211)
        try await broker.start()
        let transport = Self.transport(keepAlive: .seconds(1))
        #expect(
            await transport.deliver(Self.notification(port: 18_211, topic: "k", "1", qos: 1), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        try await Task.sleep(for: .milliseconds(3_500))
        #expect(transport.connectionCount == 1)
        #expect(
            await transport.deliver(Self.notification(port: 18_211, topic: "k", "2", qos: 1), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        await transport.shutdown()
        await broker.stop()
    }

    @Test("a connection idle for the maximum age closes; the next publication opens a new one")
    func maximumAge() async throws {
        let broker = try MosquittoBroker(port: 18_209)
        try await broker.start()
        let transport = Self.transport(maximumAge: .seconds(1))
        #expect(
            await transport.deliver(Self.notification(port: 18_209, topic: "idle", "1", qos: 1), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        #expect(transport.connectionCount == 1)
        #expect(await Self.eventually { transport.connectionCount == 0 }, "the idle connection stayed open")
        #expect(
            await transport.deliver(Self.notification(port: 18_209, topic: "idle", "2", qos: 1), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        await transport.shutdown()
        await broker.stop()
    }

    @Test("with the broker killed under an open connection, the next publication reconnects once it is back")
    func reconnect() async throws {
        let broker = try MosquittoBroker(port: 18_207)
        try await broker.start()
        let transport = Self.transport()
        #expect(
            await transport.deliver(Self.notification(port: 18_207, topic: "r", "before", qos: 1), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        await broker.stop()
        #expect(await Self.eventually { transport.connectionCount == 0 }, "the lost connection was kept")
        #expect(
            await transport.deliver(Self.notification(port: 18_207, topic: "r", "down", qos: 1), timeout: .seconds(5))
                == .failed(reason: "Couldn't connect to MQTT broker"))
        try await broker.start()
        var (subscriber, messages) = try await MQTTTestSubscriber.subscribe(port: 18_207, topic: "r")
        #expect(
            await transport.deliver(Self.notification(port: 18_207, topic: "r", "after", qos: 2), timeout: .seconds(5))
                == .delivered(statusCode: nil))
        #expect(await messages.nextPublish()?.payload == ByteBuffer(string: "after"))
        await subscriber.close()
        await transport.shutdown()
        await broker.stop()
    }

    // MARK: - Failures

    @Test("no broker listening: Couldn't connect to MQTT broker")
    func brokerNotRunning() async {
        #expect(!(await MosquittoBroker.accepts(port: 18_299)))
        let transport = Self.transport()
        let outcome = await transport.deliver(
            Self.notification(port: 18_299, topic: "t", "x", qos: 1), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "Couldn't connect to MQTT broker"))
        #expect(transport.connectionCount == 0)
        await transport.shutdown()
    }

    @Test("a server that never answers CONNECT: the connect timeout")
    func connectTimeout() async throws {
        let server = try await ScriptedBroker(.silent)
        let transport = Self.transport(connectTimeout: .milliseconds(300))
        let started = ContinuousClock.now
        let outcome = await transport.deliver(
            Self.notification(port: server.port, topic: "t", "x", qos: 1), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "Timeout connecting to MQTT broker"))
        #expect(ContinuousClock.now - started < .seconds(3))
        await transport.shutdown()
        await server.close()
    }

    @Test("a connection not accepted within the publication's own timeout fails it with the connect timeout")
    func connectBoundedByPublicationTimeout() async throws {
        let server = try await ScriptedBroker(.silent)
        let transport = Self.transport(connectTimeout: .seconds(30))
        let started = ContinuousClock.now
        let outcome = await transport.deliver(
            Self.notification(port: server.port, topic: "t", "x", qos: 0), timeout: .milliseconds(300))
        #expect(outcome == .failed(reason: "Timeout connecting to MQTT broker"))
        #expect(ContinuousClock.now - started < .seconds(3))
        await transport.shutdown()
        await server.close()
    }

    @Test("a broker that never acknowledges: the publication's timeout; QoS 0 needs no acknowledgement")
    func acknowledgementTimeout() async throws {
        let server = try await ScriptedBroker(.acceptThenSilent)
        let transport = Self.transport()
        let unacknowledged = await transport.deliver(
            Self.notification(port: server.port, topic: "t", "x", qos: 0), timeout: .seconds(5))
        #expect(unacknowledged == .delivered(statusCode: nil))
        // The connection is open: the short timeout is the acknowledgement's alone.
        let outcome = await transport.deliver(
            Self.notification(port: server.port, topic: "t", "x", qos: 1), timeout: .milliseconds(300))
        #expect(outcome == .failed(reason: "Timeout waiting for MQTT acknowledgement"))
        #expect(transport.connectionCount == 1)
        await transport.shutdown()
        await server.close()
    }

    @Test("the transport sends CONNECT (level 4, clean session, keep-alive, atrium- client id), then DISCONNECT")
    func connectAndDisconnectBytes() async throws {
        let server = try await ScriptedBroker(.acceptThenSilent)
        let transport = Self.transport()
        let outcome = await transport.deliver(
            Self.notification(port: server.port, topic: "a/b", "hi", qos: 0, retain: true), timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: nil))
        await transport.shutdown()
        let expectedCount = 2 + 35 + 9 + 2
        #expect(await Self.eventually { server.receivedBytes.count >= expectedCount })
        let bytes = server.receivedBytes
        #expect(bytes.count == expectedCount)
        // CONNECT: 35 bytes of variable header and payload, the client identifier 23 characters.
        #expect(
            Array(bytes.prefix(14)) == [0x10, 35, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3C, 0x00, 23])
        let clientIdentifier = String(decoding: bytes.dropFirst(14).prefix(23), as: UTF8.self)
        #expect(clientIdentifier.hasPrefix("atrium-"))
        #expect(clientIdentifier.dropFirst(7).allSatisfy { $0.isHexDigit })
        #expect(Array(bytes.dropFirst(37).prefix(9)) == [0x31, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69])
        #expect(Array(bytes.suffix(2)) == [0xE0, 0x00])
        await server.close()
    }

    @Test("a broker that drops the connection with the publication in flight: connection lost")
    func connectionLost() async throws {
        let server = try await ScriptedBroker(.acceptThenClose)
        let transport = Self.transport()
        let outcome = await transport.deliver(
            Self.notification(port: server.port, topic: "t", "x", qos: 2), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "Connection to MQTT broker lost"))
        #expect(await Self.eventually { transport.connectionCount == 0 })
        await transport.shutdown()
        await server.close()
    }

    @Test(
        "a broker that breaks the protocol: the publication fails with the violation",
        arguments: [
            ([0x60, 0x02, 0x00, 0x01], "PUBREL with flags 0, not 2"),
            ([0x40, 0x02, 0x00, 0x07], "PUBACK for packet identifier 7, not awaiting one"),
            ([0x30, 0x80, 0x80, 0x80, 0x01], "a PUBLISH packet of 2097152 bytes, above the 1048576 accepted"),
            ([0x20, 0x02, 0x00, 0x00], "a second CONNACK"),
        ] as [([UInt8], String)])
    func protocolViolation(answer: [UInt8], violation: String) async throws {
        let server = try await ScriptedBroker(.acceptThenSend(answer))
        let transport = Self.transport()
        let outcome = await transport.deliver(
            Self.notification(port: server.port, topic: "t", "x", qos: 1), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "MQTT protocol error: \(violation)"))
        #expect(await Self.eventually { transport.connectionCount == 0 }, "the broken connection was kept")
        await transport.shutdown()
        await server.close()
    }

    @Test(
        "what cannot be published fails before any connection",
        arguments: [
            (OutboundNotification.Destination.http(HTTPTarget(url: "http://127.0.0.1:1/")), "Not an MQTT destination"),
            (.mqtt(MQTTTarget(host: "127.0.0.1", port: 18_299, topic: "t", qos: 3)), "Invalid MQTT QoS 3"),
            (.mqtt(MQTTTarget(host: "127.0.0.1", port: 18_299, topic: "a/#")), "Invalid MQTT topic"),
            (.mqtt(MQTTTarget(host: "127.0.0.1", port: 18_299, topic: "")), "Invalid MQTT topic"),
        ])
    func refusedBeforeSending(destination: OutboundNotification.Destination, reason: String) async {
        let transport = Self.transport()
        let outcome = await transport.deliver(
            OutboundNotification(destination: destination, body: ByteBuffer(string: "x")), timeout: .seconds(1))
        #expect(outcome == .failed(reason: reason))
        #expect(transport.connectionCount == 0)
        await transport.shutdown()
    }
}
