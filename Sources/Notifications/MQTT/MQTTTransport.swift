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
        var channel: EventLoopFuture<any Channel>
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
    ///   - keepAlive: the keep-alive of CONNECT, and the interval of PINGREQ (§3.1.2.10): whole seconds, 0 (none) to
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
        // A shared connection may close between the look-up and the write: then one new connection is tried.
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
        for entry in entries {
            guard let channel = try? await entry.channel.get() else { continue }
            try? await channel.close()
        }
    }

    // MARK: - Connections

    /// The connection of `key` accepted by its broker, already open or new; whether it was already open.
    private func channel(for key: BrokerKey, deadline: NIODeadline) async throws -> (any Channel, Bool) {
        let eventLoop = group.next()
        let lookUp = registry.withLock { registry -> (Entry, EventLoopPromise<any Channel>?)? in
            guard !registry.isShutDown else { return nil }
            if let entry = registry.connections[key] { return (entry, nil) }
            registry.nextID += 1
            let promise = eventLoop.makePromise(of: (any Channel).self)
            let entry = Entry(id: registry.nextID, channel: promise.futureResult)
            registry.connections[key] = entry
            return (entry, promise)
        }
        guard let (entry, promise) = lookUp else {
            throw MQTTPublicationFailure(reason: MQTTFailureReason.connectionClosed)
        }
        if let promise {
            connect(key, on: eventLoop).cascade(to: promise)
            promise.futureResult.whenComplete { result in
                switch result {
                case .success(let channel):
                    channel.closeFuture.whenComplete { _ in self.remove(key, id: entry.id) }
                case .failure:
                    self.remove(key, id: entry.id)
                }
            }
        }
        return (try await entry.channel.get(), promise == nil)
    }

    private func connect(_ key: BrokerKey, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
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
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(MQTTPacketDecoder()),
                        MessageToByteHandler(MQTTPacketEncoder()),
                        MQTTConnectionHandler(
                            connect: connect, connectTimeout: connectTimeout, keepAlive: keepAlive,
                            maximumAge: maximumAge, logger: connectionLogger,
                            accepted: channel.eventLoop.makePromise()))
                }
            }
            .connect(host: key.host, port: key.port)
            .flatMap { channel in
                // The connection is ready for publications once CONNACK accepts it.
                channel.eventLoop.flatSubmit {
                    do {
                        let handler = try channel.pipeline.syncOperations.handler(type: MQTTConnectionHandler.self)
                        return handler.accepted.futureResult.map { channel }
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
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
