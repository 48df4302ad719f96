package import Logging
package import NIOCore
import NIOPosix
import Synchronization

/// Publishes notifications to MQTT 3.1.1 brokers (Orion's `mqtt` and `mqttCustom` notifications).
///
/// One connection per broker and credentials (host, port, user, password), opened on first use and shared by the
/// publications that follow, several in flight at once. A connection is kept alive by PINGREQ, closes itself after
/// `maximumAge` without a publication (`-mqttMaxAge`), and, once lost, fails what it carried and is opened again
/// by the next publication. ``shutdown()`` sends DISCONNECT on every connection and closes it.
package final class MQTTTransport: NotificationTransport {
    /// The connections of one broker are shared only by publications with the same credentials.
    private struct BrokerKey: Hashable, Sendable {
        var host: String
        var port: Int
        var user: String?
        var password: String?
    }

    private struct Entry: Sendable {
        var id: UInt64
        /// The TCP connection.
        var connected: EventLoopFuture<any Channel>
        /// The same channel once CONNACK has accepted it: publications are written then.
        var accepted: EventLoopFuture<any Channel>
    }

    private struct Registry: Sendable {
        var connections: [BrokerKey: Entry] = [:]
        var nextID: UInt64 = 0
        var isShutDown = false
    }

    private let group: any EventLoopGroup
    private let connectTimeout: Duration
    private let maximumAge: Duration
    private let keepAliveSeconds: UInt16
    private let logger: Logger
    private let registry = Mutex(Registry())

    /// - Parameters:
    ///   - group: the event loops of the connections.
    ///   - connectTimeout: the longest wait for the TCP connection, then again for CONNACK (`-mqttTimeout`).
    ///   - maximumAge: how long a connection stays open without a publication (`-mqttMaxAge`).
    ///   - keepAlive: the keep-alive of CONNECT (§3.1.2.10), PINGREQ going out every half of it: whole seconds, 0 (none) to
    ///     65,535.
    ///   - logger: where connections are logged, at debug level.
    package init(
        group: any EventLoopGroup, connectTimeout: Duration, maximumAge: Duration, keepAlive: Duration = .seconds(60),
        logger: Logger
    ) {
        self.group = group
        self.connectTimeout = connectTimeout
        self.maximumAge = maximumAge
        self.keepAliveSeconds = UInt16(clamping: keepAlive.components.seconds)
        self.logger = logger
    }

    /// How many broker connections are open or opening.
    package var connectionCount: Int { registry.withLock { $0.connections.count } }

    /// Publishes `notification.body` to the target's topic with its QoS and RETAIN flag.
    ///
    /// - Returns: ``DeliveryOutcome/delivered(statusCode:)`` with `nil` once the broker has acknowledged the
    ///   publication as its QoS requires (written, for QoS 0); ``DeliveryOutcome/failed(reason:)`` with a
    ///   ``MQTTFailureReason`` text or the CONNACK refusal otherwise, and for a destination that is not MQTT.
    package func deliver(_ notification: OutboundNotification, timeout: Duration) async -> DeliveryOutcome {
        guard case .mqtt(let target) = notification.destination else {
            return .failed(reason: MQTTFailureReason.notMQTT)
        }
        let publish: MQTTPacket.Publish
        switch Self.publish(notification.body, to: target) {
        case .success(let valid): publish = valid
        case .failure(let failure): return .failed(reason: failure.reason)
        }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let key = BrokerKey(host: target.host, port: target.port, user: target.user, password: target.password)
        // A shared connection may close between the look-up and the write (lost, or idle past its maximum age):
        // the publication, never sent, is tried once on a new connection.
        for attempt in 0..<2 {
            let (channel, reused): (any Channel, Bool)
            do {
                (channel, reused) = try await self.channel(for: key, deadline: deadline)
            } catch {
                return .failed(reason: Self.connectFailureReason(error))
            }
            do {
                try await channel.writeAndFlush(MQTTPublication(publish: publish, deadline: deadline)).get()
                return .delivered(statusCode: nil)
            } catch let failure as MQTTPublicationFailure {
                return .failed(reason: failure.reason)
            } catch {
                guard reused, attempt == 0 else { return .failed(reason: MQTTFailureReason.connectionLost) }
            }
        }
        return .failed(reason: MQTTFailureReason.connectionLost)
    }

    /// Sends DISCONNECT on every connection and closes it; later deliveries fail.
    package func shutdown() async {
        let entries = registry.withLock { registry in
            registry.isShutDown = true
            let entries = Array(registry.connections.values)
            registry.connections = [:]
            return entries
        }
        // A connection still waiting for CONNACK closes at once; one still opening, once it is open.
        for entry in entries {
            guard let channel = try? await entry.connected.get() else { continue }
            try? await channel.close()
        }
    }

    // MARK: - Connections

    /// The connection of `key` accepted by its broker, already open or new, and whether it was already open; a
    /// connection not accepted by `deadline` fails this publication with the connect timeout.
    private func channel(for key: BrokerKey, deadline: NIODeadline) async throws -> (any Channel, Bool) {
        let eventLoop = group.next()
        typealias Promises = (connected: EventLoopPromise<any Channel>, accepted: EventLoopPromise<any Channel>)
        let lookUp = registry.withLock { registry -> (Entry, Promises?)? in
            guard !registry.isShutDown else { return nil }
            if let entry = registry.connections[key] { return (entry, nil) }
            registry.nextID += 1
            let promises = (
                connected: eventLoop.makePromise(of: (any Channel).self),
                accepted: eventLoop.makePromise(of: (any Channel).self)
            )
            let entry = Entry(
                id: registry.nextID, connected: promises.connected.futureResult,
                accepted: promises.accepted.futureResult)
            registry.connections[key] = entry
            return (entry, promises)
        }
        guard let (entry, promises) = lookUp else {
            throw MQTTPublicationFailure(reason: MQTTFailureReason.connectionClosed)
        }
        if let promises {
            // The publication that opens the connection waits for it; the others wait for its promises.
            do {
                let (channel, accepted) = try await connect(key, on: eventLoop, deadline: deadline)
                promises.connected.succeed(channel)
                accepted.map { channel }.cascade(to: promises.accepted)
            } catch {
                promises.connected.fail(error)
                promises.accepted.fail(error)
            }
            promises.accepted.futureResult.whenComplete { result in
                switch result {
                case .success(let channel):
                    channel.closeFuture.whenComplete { _ in self.remove(key, id: entry.id) }
                case .failure:
                    self.remove(key, id: entry.id)
                }
            }
        }
        let bounded = entry.accepted.eventLoop.makePromise(of: (any Channel).self)
        let timer = entry.accepted.eventLoop.scheduleTask(deadline: deadline) {
            bounded.fail(MQTTPublicationFailure(reason: MQTTFailureReason.connectTimeout))
        }
        entry.accepted.whenComplete { result in
            timer.cancel()
            bounded.completeWith(result)
        }
        return (try await bounded.futureResult.get(), promises == nil)
    }

    /// Opens a TCP connection to the broker with the MQTT handlers in its pipeline, waiting for it at most the
    /// connect timeout, and never past `deadline`.
    ///
    /// - Returns: the channel, and the future of its acceptance by CONNACK, which fails with the reason the
    ///   connection closed before (refusal, connect timeout, loss, protocol error).
    private func connect(_ key: BrokerKey, on eventLoop: any EventLoop, deadline: NIODeadline) async throws -> (
        any Channel, EventLoopFuture<Void>
    ) {
        let connect = MQTTPacket.Connect(
            clientIdentifier: Self.clientIdentifier(), keepAliveSeconds: keepAliveSeconds,
            userName: key.user, password: key.user == nil ? nil : key.password)
        let connectTimeout = TimeAmount(connectTimeout)
        let keepAlive = TimeAmount.seconds(Int64(keepAliveSeconds))
        let maximumAge = TimeAmount(maximumAge)
        var logger = logger
        logger[metadataKey: "mqtt.broker"] = "\(key.host):\(key.port)"
        logger[metadataKey: "mqtt.client"] = "\(connect.clientIdentifier)"
        let connectionLogger = logger
        connectionLogger.debug("MQTT connection opening")
        return try await ClientBootstrap(group: eventLoop)
            .connectTimeout(min(connectTimeout, max(deadline - NIODeadline.now(), .zero)))
            .connect(host: key.host, port: key.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Each channel tried (several for a name with several addresses) has its own promise.
                    let accepted = channel.eventLoop.makePromise(of: Void.self)
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(MQTTPacketDecoder()),
                        MessageToByteHandler(MQTTPacketEncoder()),
                        MQTTConnectionHandler(
                            connect: connect, connectTimeout: connectTimeout, keepAlive: keepAlive,
                            maximumAge: maximumAge, logger: connectionLogger, accepted: accepted))
                    return (channel, accepted.futureResult)
                }
            }
    }

    private func remove(_ key: BrokerKey, id: UInt64) {
        registry.withLock { registry in
            if registry.connections[key]?.id == id { registry.connections[key] = nil }
        }
    }

    // MARK: - Rules

    /// `atrium-` and 16 random hexadecimal digits: 23 characters, the length every broker must accept
    /// (§3.1.3.1).
    private static func clientIdentifier() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return "atrium-" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The PUBLISH of a target, if it can be sent: QoS 0 to 2, a topic name of 1 to 65,535 bytes without wildcards
    /// or U+0000 (§4.7), credentials and a packet within the encodable sizes.
    private static func publish(_ body: ByteBuffer, to target: MQTTTarget) -> Result<
        MQTTPacket.Publish, MQTTPublicationFailure
    > {
        guard let quality = UInt8(exactly: target.qos).flatMap(MQTTQualityOfService.init(rawValue:)) else {
            return .failure(MQTTPublicationFailure(reason: "Invalid MQTT QoS \(target.qos)"))
        }
        let topic = target.topic.utf8
        guard !topic.isEmpty, topic.count <= MQTTPacket.maximumFieldLength,
            !topic.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") || $0 == 0 })
        else { return .failure(MQTTPublicationFailure(reason: "Invalid MQTT topic")) }
        guard (target.user?.utf8.count ?? 0) <= MQTTPacket.maximumFieldLength,
            (target.password?.utf8.count ?? 0) <= MQTTPacket.maximumFieldLength
        else { return .failure(MQTTPublicationFailure(reason: "Invalid MQTT credentials")) }
        guard
            MQTTPacket.publishSize(
                topicLength: topic.count, payloadLength: body.readableBytes, hasPacketIdentifier: quality != .atMostOnce
            )
                != nil
        else { return .failure(MQTTPublicationFailure(reason: "MQTT message too large")) }
        return .success(
            MQTTPacket.Publish(topic: target.topic, payload: body, qualityOfService: quality, retain: target.retain))
    }

    private static func connectFailureReason(_ error: any Error) -> String {
        if let failure = error as? MQTTPublicationFailure { return failure.reason }
        if case ChannelError.connectTimeout = error { return MQTTFailureReason.connectTimeout }
        return MQTTFailureReason.couldNotConnect
    }
}
