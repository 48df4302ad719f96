import Logging
import NIOCore

/// Runs one ``MQTTConnectionStateMachine`` on its channel: turns channel events and ``MQTTPublication`` writes into
/// the machine's events, and carries out its actions (writes, completions, close). It also keeps the clocks of
/// the connection: the connect timeout (CONNACK), the keep-alive tick (PINGREQ, MQTT 3.1.1 §3.1.2.10), each
/// publication's deadline, and the idle limit after which the connection closes itself.
///
/// Sits behind the packet decoder and encoder; every method runs on the channel's event loop.
final class MQTTConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundIn = MQTTPublication
    typealias OutboundOut = MQTTPacket
    private typealias PublicationID = MQTTConnectionStateMachine.PublicationID

    private var machine: MQTTConnectionStateMachine
    private var promises: [PublicationID: EventLoopPromise<Void>] = [:]
    private var publicationTimeouts: [PublicationID: Scheduled<Void>] = [:]
    private let connectTimeout: TimeAmount
    private let keepAlive: TimeAmount
    private let maximumAge: TimeAmount
    private let logger: Logger
    private var connectTimeoutTask: Scheduled<Void>?
    private var keepAliveTask: Scheduled<Void>?
    private var idleTask: Scheduled<Void>?
    /// Succeeds once CONNACK accepts the connection; fails with the reason it closed before that.
    let accepted: EventLoopPromise<Void>
    private var acceptanceKnown = false

    /// - Parameters:
    ///   - connect: the CONNECT to send.
    ///   - connectTimeout: how long after the TCP connection the connection is given up without CONNACK.
    ///   - keepAlive: the CONNECT's keep-alive (zero: none); PINGREQ goes out every half of it.
    ///   - maximumAge: how long the connection stays open without a publication.
    ///   - logger: where the connection's events are logged.
    ///   - accepted: completed once the broker has accepted or refused the connection, or it closed.
    init(
        connect: MQTTPacket.Connect, connectTimeout: TimeAmount, keepAlive: TimeAmount, maximumAge: TimeAmount,
        logger: Logger, accepted: EventLoopPromise<Void>
    ) {
        self.accepted = accepted
        self.machine = MQTTConnectionStateMachine(connect: connect)
        self.connectTimeout = connectTimeout
        self.keepAlive = keepAlive
        self.maximumAge = maximumAge
        self.logger = logger
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    /// A channel whose TCP connection never came up is removed without becoming inactive: nothing may be left
    /// waiting.
    func handlerRemoved(context: ChannelHandlerContext) {
        if !acceptanceKnown {
            acceptanceKnown = true
            accepted.fail(MQTTPublicationFailure(reason: machine.closeReason ?? MQTTFailureReason.couldNotConnect))
        }
        let failure = MQTTPublicationFailure(reason: MQTTFailureReason.connectionLost)
        for promise in promises.values { promise.fail(failure) }
        promises = [:]
        stopClocks()
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        logger.trace("MQTT packet received", metadata: ["mqtt.packet": "\(packet.typeName)"])
        perform(machine.packetReceived(packet), context: context)
        if machine.isConnected, let connectTimeoutTask {
            connectTimeoutTask.cancel()
            self.connectTimeoutTask = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? MQTTProtocolError {
            logger.debug("MQTT broker broke the protocol", metadata: ["mqtt.error": "\(error)"])
            perform(machine.decodingFailed(error), context: context)
        } else {
            logger.debug("MQTT connection failed", metadata: ["mqtt.error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        logger.debug("MQTT connection closed")
        perform(machine.connectionClosed(), context: context)
        if !acceptanceKnown {
            acceptanceKnown = true
            accepted.fail(MQTTPublicationFailure(reason: machine.closeReason ?? MQTTFailureReason.connectionLost))
        }
        stopClocks()
        context.fireChannelInactive()
    }

    // MARK: - Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let publication = unwrapOutboundIn(data)
        guard machine.isOpen else {
            // Never sent: the writer may try again on a new connection.
            (promise ?? context.eventLoop.makePromise()).fail(ChannelError.ioOnClosedChannel)
            return
        }
        let (identifier, actions) = machine.publishRequested(publication.publish)
        promises[identifier] = promise ?? context.eventLoop.makePromise()
        publicationTimeouts[identifier] = context.eventLoop.assumeIsolated().scheduleTask(
            deadline: publication.deadline
        ) { [weak self] in
            guard let self else { return }
            self.publicationTimeouts[identifier] = nil
            self.perform(self.machine.publicationTimedOut(identifier), context: context)
        }
        restartIdleTimeout(context: context)
        perform(actions, context: context)
    }

    /// Closing an open connection sends DISCONNECT first (§3.14) and fails what is still pending.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        perform(machine.disconnectRequested(), context: context, closePromise: promise, closeMode: mode)
    }

    // MARK: - Actions

    private func perform(
        _ actions: [MQTTConnectionStateMachine.Action], context: ChannelHandlerContext,
        closePromise: EventLoopPromise<Void>? = nil, closeMode: CloseMode = .all
    ) {
        var unflushed = false
        var closed = false
        var lastWrite: EventLoopFuture<Void>?
        for action in actions {
            switch action {
            case .write(let packet, let publication):
                let promise = publication.flatMap { take($0) } ?? context.eventLoop.makePromise()
                context.write(wrapOutboundOut(packet), promise: promise)
                lastWrite = promise.futureResult
                unflushed = true
            case .succeed(let publication):
                take(publication)?.succeed()
            case .fail(let publication, let reason):
                take(publication)?.fail(MQTTPublicationFailure(reason: reason))
            case .close(let error):
                closed = true
                if let error { logger.debug("MQTT connection closing", metadata: ["mqtt.error": "\(error)"]) }
                if unflushed { context.flush() }
                unflushed = false
                // The last packet written (DISCONNECT) goes out before the connection closes.
                if let lastWrite {
                    lastWrite.assumeIsolated().whenComplete { _ in
                        context.close(mode: closeMode, promise: closePromise)
                    }
                } else {
                    context.close(mode: closeMode, promise: closePromise)
                }
            }
        }
        if unflushed { context.flush() }
        if !closed, let closePromise {
            // The machine was already closing: the close asked for goes on.
            context.close(mode: closeMode, promise: closePromise)
        }
        reportAcceptance()
    }

    /// Completes ``accepted`` once the machine knows whether the broker accepted the connection.
    private func reportAcceptance() {
        guard !acceptanceKnown else { return }
        if machine.isConnected {
            acceptanceKnown = true
            accepted.succeed()
        } else if let reason = machine.closeReason {
            acceptanceKnown = true
            accepted.fail(MQTTPublicationFailure(reason: reason))
        }
    }

    /// Removes and returns the promise of a publication, ending its timeout.
    private func take(_ publication: PublicationID) -> EventLoopPromise<Void>? {
        publicationTimeouts.removeValue(forKey: publication)?.cancel()
        return promises.removeValue(forKey: publication)
    }

    // MARK: - Clocks

    private func start(context: ChannelHandlerContext) {
        let actions = machine.connectionEstablished()
        guard !actions.isEmpty else { return }
        connectTimeoutTask = context.eventLoop.assumeIsolated().scheduleTask(in: connectTimeout) { [weak self] in
            guard let self else { return }
            self.connectTimeoutTask = nil
            self.perform(self.machine.connectTimedOut(), context: context)
        }
        scheduleKeepAlive(context: context)
        restartIdleTimeout(context: context)
        perform(actions, context: context)
    }

    /// Cancels every scheduled task, so none keeps the closed channel alive.
    private func stopClocks() {
        connectTimeoutTask?.cancel()
        keepAliveTask?.cancel()
        idleTask?.cancel()
        connectTimeoutTask = nil
        keepAliveTask = nil
        idleTask = nil
        for timeout in publicationTimeouts.values { timeout.cancel() }
        publicationTimeouts = [:]
    }

    /// A keep-alive tick every half keep-alive while the channel is open: the broker hears from the client well
    /// within the period even when the event loop or the network is slow (§3.1.2.10), and a PINGRESP has half a
    /// period to come back.
    private func scheduleKeepAlive(context: ChannelHandlerContext) {
        guard keepAlive > .zero else { return }
        keepAliveTask = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(keepAlive.nanoseconds / 2)) {
            [weak self] in
            guard let self else { return }
            self.perform(self.machine.keepAliveTick(), context: context)
            if context.channel.isActive { self.scheduleKeepAlive(context: context) }
        }
    }

    /// The connection closes itself after ``maximumAge`` without a new publication, once nothing is pending.
    private func restartIdleTimeout(context: ChannelHandlerContext) {
        idleTask?.cancel()
        guard context.channel.isActive else { return }
        idleTask = context.eventLoop.assumeIsolated().scheduleTask(in: maximumAge) { [weak self] in
            guard let self else { return }
            self.idleTask = nil
            if self.machine.isIdle {
                self.logger.debug("MQTT connection idle past its maximum age")
                self.perform(self.machine.disconnectRequested(), context: context)
            } else {
                self.restartIdleTimeout(context: context)
            }
        }
    }
}
