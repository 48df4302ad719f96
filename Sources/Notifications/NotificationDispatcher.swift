package import Logging
package import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Decides when each notification goes and hands it to its transport, in one of Orion's delivery modes
/// (`-notificationMode`): `transient` and `persistent` send each notification at once, as Orion's thread per
/// notification does; `threadpool` keeps bounded FIFO queues, each drained by a fixed number of workers.
///
/// ``submit(_:completion:)`` never blocks: the work runs in ``run()``, a `Service` of the process's
/// `ServiceGroup`, as child tasks of one task group. Notifications submitted before `run()` starts wait for it. On
/// graceful shutdown the dispatcher refuses new notifications, lets the queued and in-flight ones finish (each is
/// bounded by its timeout), shuts its transports down and returns.
///
/// State is a lock-protected value; a notification crosses no actor on its way.
package final class NotificationDispatcher: Service, Sendable {
    private let settings: DeliverySettings
    private let logger: Logger
    private let http: HTTPTransport
    private let mqtt: (any NotificationTransport)?
    private let state: Mutex<State>

    /// The reason of a notification submitted once the dispatcher stopped accepting.
    static let shuttingDownReason = "shutting down"
    /// The reason of an MQTT notification when the dispatcher has no MQTT transport.
    static let mqttUnavailableReason = "MQTT is not available"
    /// Orion's log line for a notification dropped by a full queue.
    static let queueFullMessage: Logger.Message = "Runtime Error (notification queue is full)"

    private struct State {
        enum Phase { case accepting, draining, stopped }

        var phase = Phase.accepting
        var hasRun = false
        /// The `threadpool` queues: the default one first, then the reserved ones.
        var queues: [NotificationQueue] = []
        /// The index in `queues` of each reserved queue's name.
        var queueIndices: [String: Int] = [:]
        /// `transient` and `persistent`: the notifications not yet started, and the loop of `run()` waiting for
        /// one.
        var unstarted: [PendingNotification] = []
        var starter: CheckedContinuation<[PendingNotification]?, Never>?
        /// Every counter but `size`, which is computed.
        var statistics = DeliveryStatistics()
        var simulatedCount = 0

        var waitingCount: Int { queues.reduce(0) { $0 + $1.waiting.count } }
    }

    /// Makes a dispatcher, idle until ``run()``.
    ///
    /// - Parameters:
    ///   - settings: the delivery mode, timeouts and limits. The HTTP transport reuses connections in `persistent`
    ///     and `threadpool` modes and makes one per notification in `transient` mode.
    ///   - logger: where a full queue is reported.
    ///   - group: the event loops of the HTTP connections.
    ///   - mqtt: the transport of MQTT notifications; without one they fail with `MQTT is not available`.
    package init(
        settings: DeliverySettings, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        mqtt: (any NotificationTransport)? = nil
    ) {
        self.settings = settings
        self.logger = logger
        self.mqtt = mqtt
        let reusesConnections: Bool
        var initial = State()
        switch settings.mode {
        case .transient:
            reusesConnections = false
        case .persistent:
            reusesConnections = true
        case .threadpool(let defaultQueue, let reserved):
            reusesConnections = true
            initial.queues.append(NotificationQueue(settings: defaultQueue))
            for (name, queue) in reserved.sorted(by: { $0.key < $1.key }) {
                initial.queueIndices[name] = initial.queues.count
                initial.queues.append(NotificationQueue(settings: queue))
            }
        }
        self.state = Mutex(initial)
        self.http = HTTPTransport(
            group: group, reusesConnections: reusesConnections, verifiesCertificates: settings.verifiesCertificates,
            maximumMessageSize: settings.maximumMessageSize, logger: logger)
    }

    // MARK: - Submitting

    /// Takes a notification to send; `completion` is called exactly once with its outcome, possibly before this
    /// returns (simulated, rejected, refused) and otherwise from the task that delivered it.
    ///
    /// Never blocks and never throws. In `threadpool` mode the notification waits in the queue
    /// ``OutboundNotification/queue`` names (the default queue for a name without one); a full queue rejects it
    /// at once and logs Orion's `Runtime Error (notification queue is full)`. Once graceful shutdown began, it
    /// fails with `shutting down`.
    package func submit(
        _ notification: OutboundNotification, completion: @escaping @Sendable (DeliveryOutcome) -> Void
    ) {
        if settings.simulated {
            state.withLock { $0.simulatedCount += 1 }
            completion(.simulated)
            return
        }
        let pending = PendingNotification(
            notification: notification, completion: completion, submitted: ContinuousClock.now)
        enum Decision {
            case refused, rejected, rejectedQuietly, waiting
            case handedToWorker(CheckedContinuation<PendingNotification?, Never>)
            case handedToStarter(CheckedContinuation<[PendingNotification]?, Never>)
        }
        let decision = state.withLock { state -> Decision in
            guard state.phase == .accepting else { return .refused }
            if state.queues.isEmpty {
                if let starter = state.starter {
                    state.starter = nil
                    return .handedToStarter(starter)
                }
                state.unstarted.append(pending)
                return .waiting
            }
            let index = state.queueIndices[notification.queue] ?? 0
            switch state.queues[index].offer(pending) {
            case .handedOver(let worker):
                state.statistics.queued += 1
                state.statistics.dequeued += 1
                return .handedToWorker(worker)
            case .queued:
                state.statistics.queued += 1
                return .waiting
            case .rejected:
                return Self.reject(&state, queue: index) ? .rejected : .rejectedQuietly
            }
        }
        switch decision {
        case .refused:
            completion(.failed(reason: Self.shuttingDownReason))
        case .rejected:
            logger.error(Self.queueFullMessage)
            completion(.rejected)
        case .rejectedQuietly:
            completion(.rejected)
        case .waiting:
            break
        case .handedToWorker(let worker):
            worker.resume(returning: pending)
        case .handedToStarter(let starter):
            starter.resume(returning: [pending])
        }
    }

    /// Counts a rejection by queue `index`; returns whether it starts a run of rejections, to be logged: Orion's
    /// line once per run, not once per notification, so that a flood of them does not cost the log as much again.
    private static func reject(_ state: inout State, queue index: Int) -> Bool {
        state.statistics.rejected += 1
        return state.queues[index].startRejecting()
    }

    /// Rejects a notification for queue `name` without it being built, when that queue is full (`threadpool`
    /// only): counted and logged as ``submit(_:completion:)`` would, so that a producer under overload does not
    /// render notifications only to see them dropped.
    /// - Returns: whether the notification was rejected; when not, the caller builds and submits it.
    package func rejectIfFull(queue name: String) -> Bool {
        if settings.simulated { return false }
        let logs = state.withLock { state -> Bool? in
            guard state.phase == .accepting, !state.queues.isEmpty else { return nil }
            let index = state.queueIndices[name] ?? 0
            guard state.queues[index].isFull else { return nil }
            return Self.reject(&state, queue: index)
        }
        guard let logs else { return false }
        if logs { logger.error(Self.queueFullMessage) }
        return true
    }

    // MARK: - Counters and flow control

    /// The queue counters, summed over every queue (Orion's `notifQueue` block of `/statistics`); in `transient`
    /// and `persistent` modes only `sentOK` and `sentError` move.
    package var statistics: DeliveryStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.size = state.waitingCount
            return statistics
        }
    }

    /// Zeroes every counter but `size` (Orion's `DELETE /statistics`).
    package func resetStatistics() {
        state.withLock { $0.statistics = DeliveryStatistics() }
    }

    /// How many notifications were completed as ``DeliveryOutcome/simulated`` (Orion's `simulatedNotifications`).
    package var simulatedCount: Int { state.withLock { $0.simulatedCount } }

    /// How many notifications wait in the queues now, over every queue.
    package var waitingCount: Int { state.withLock { $0.waitingCount } }

    /// Waits until at most `limit` notifications wait, checking every `stepDelay`, and at the latest
    /// `maximumWait` (Orion's `-notifFlowControl`, applied to an update with `options=flowControl`).
    ///
    /// Returns at once when the queues are short enough, and early when the task is cancelled.
    package func waitForQueue(atMost limit: Int, stepDelay: Duration, maximumWait: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + maximumWait
        let step = max(stepDelay, .milliseconds(1))
        while waitingCount > limit {
            let now = clock.now
            guard now < deadline else { return }
            do {
                try await Task.sleep(for: min(step, deadline - now), clock: clock)
            } catch {
                return
            }
        }
    }

    // MARK: - Running

    /// Sends the notifications until graceful shutdown or cancellation.
    ///
    /// On graceful shutdown, drains the queues and waits for the in-flight notifications; on cancellation, the
    /// notifications still waiting fail with `shutting down`. Then shuts the transports down. A second call
    /// returns at once.
    package func run() async throws {
        let alreadyRan = state.withLock { state in
            defer { state.hasRun = true }
            return state.hasRun
        }
        guard !alreadyRan else { return }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let workerCounts = state.withLock { $0.queues.map(\.settings.workers) }
                if workerCounts.isEmpty {
                    while let batch = await nextUnstarted() {
                        for pending in batch {
                            group.addTask { await self.complete(pending) }
                        }
                    }
                } else {
                    for (index, workers) in workerCounts.enumerated() {
                        // A queue has at least one worker, or its notifications would never leave.
                        for _ in 0..<max(workers, 1) {
                            group.addTask { await self.work(queue: index) }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        let leftovers = state.withLock { state in
            state.phase = .stopped
            var leftovers = state.unstarted
            state.unstarted = []
            for index in state.queues.indices {
                leftovers.append(contentsOf: state.queues[index].removeAllWaiting())
            }
            return leftovers
        }
        for pending in leftovers {
            pending.completion(.failed(reason: Self.shuttingDownReason))
        }
        await http.shutdown()
        await mqtt?.shutdown()
    }

    /// Graceful shutdown: refuses new notifications and lets idle workers and the starter loop end once nothing
    /// waits.
    private func stopAccepting() {
        finish(to: .draining)
    }

    /// Moves to `phase` (not back) and releases whoever waits for work.
    private func finish(to phase: State.Phase) {
        let (workers, starter) = state.withLock { state in
            if phase == .stopped || state.phase == .accepting { state.phase = phase }
            var workers: [CheckedContinuation<PendingNotification?, Never>] = []
            for index in state.queues.indices {
                workers.append(contentsOf: state.queues[index].releaseIdleWorkers())
            }
            let starter = state.starter
            state.starter = nil
            return (workers, starter)
        }
        for worker in workers { worker.resume(returning: nil) }
        starter?.resume(returning: nil)
    }

    /// One worker of queue `index`: delivers its notifications one at a time, in order, until the queue is empty
    /// and the dispatcher no longer accepts.
    private func work(queue index: Int) async {
        while let pending = await nextNotification(queue: index) {
            await complete(pending)
        }
    }

    /// The next notification of queue `index`, waiting for one; `nil` to stop.
    private func nextNotification(queue index: Int) async -> PendingNotification? {
        enum Next {
            case notification(PendingNotification)
            case stop
            case park
        }
        func next(_ state: inout State) -> Next {
            guard state.phase != .stopped, !Task.isCancelled else { return .stop }
            if let pending = state.queues[index].takeNext() {
                state.statistics.dequeued += 1
                state.statistics.timeInQueue += Self.seconds(ContinuousClock.now - pending.submitted)
                return .notification(pending)
            }
            return state.phase == .accepting ? .park : .stop
        }
        switch state.withLock({ next(&$0) }) {
        case .notification(let pending): return pending
        case .stop: return nil
        case .park: break
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let decided: PendingNotification?? = state.withLock { state in
                    switch next(&state) {
                    case .notification(let pending): return .some(pending)
                    case .stop: return .some(nil)
                    case .park:
                        state.queues[index].park(continuation)
                        return .none
                    }
                }
                if let decided { continuation.resume(returning: decided) }
            }
        } onCancel: {
            self.finish(to: .stopped)
        }
    }

    /// The notifications submitted since the last call, in `transient` and `persistent` modes, waiting for one;
    /// `nil` to stop.
    private func nextUnstarted() async -> [PendingNotification]? {
        func next(_ state: inout State) -> [PendingNotification]?? {
            guard state.phase != .stopped, !Task.isCancelled else { return .some(nil) }
            if !state.unstarted.isEmpty {
                defer { state.unstarted.removeAll(keepingCapacity: true) }
                return .some(state.unstarted)
            }
            return state.phase == .accepting ? .none : .some(nil)
        }
        if let decided = state.withLock({ next(&$0) }) { return decided }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let decided = state.withLock { state in
                    let decided = next(&state)
                    if decided == nil { state.starter = continuation }
                    return decided
                }
                if let decided { continuation.resume(returning: decided) }
            }
        } onCancel: {
            self.finish(to: .stopped)
        }
    }

    /// Delivers one notification, counts its outcome and reports it.
    private func complete(_ pending: PendingNotification) async {
        let notification = pending.notification
        let outcome: DeliveryOutcome
        switch notification.destination {
        case .http:
            outcome = await http.deliver(notification, timeout: notification.timeout ?? settings.httpTimeout)
        case .mqtt:
            if let mqtt {
                outcome = await mqtt.deliver(notification, timeout: notification.timeout ?? settings.mqttTimeout)
            } else {
                outcome = .failed(reason: Self.mqttUnavailableReason)
            }
        }
        state.withLock { state in
            switch outcome {
            case .delivered: state.statistics.sentOK += 1
            case .failed: state.statistics.sentError += 1
            case .rejected, .simulated: break
            }
        }
        pending.completion(outcome)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
