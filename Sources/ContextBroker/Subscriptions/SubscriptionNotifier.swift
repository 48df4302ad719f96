package import Logging
package import Notifications
import Persistence
import ServiceLifecycle
import Synchronization

/// The notification side of subscriptions: takes the change events of committed writes from the
/// ``ChangeQueue``, finds the subscriptions each triggers (``SubscriptionCache/matches(_:now:)``), applies
/// throttling and `oneshot`, builds Orion's notifications (``NotificationBuilder``) and hands them to the
/// ``NotificationDispatcher``, whose outcomes keep the subscriptions' counters and `maxFailsLimit`.
///
/// Counters live in the cache and are written to each tenant's database every `-subCacheIval` seconds and at
/// shutdown, as Orion flushes its cache; a status the notifier changes (a oneshot sent, a subscription disabled
/// by `maxFailsLimit`) is written at once.
package final class SubscriptionNotifier: ChangeSink, Service {
    private let broker: ContextBroker
    private let changes: ChangeQueue
    private let dispatcher: NotificationDispatcher
    private let builder: NotificationBuilder
    private let flowControl: NotificationFlowControl?
    private let flushInterval: Duration?
    private let retryLimit: Int
    private let usesOutbox: Bool
    private let logger: Logger
    private let state = Mutex(State())
    /// The notifier's own thread, at a lower scheduling priority than the server's: matching and building
    /// notifications yield the processors to the requests when both want them, so under a load of notifications
    /// it cannot keep up with, the notifier falls behind (the change queue fills and drops, as Orion's
    /// notification queue does) instead of slowing the writes.
    private let executor = ThreadTaskExecutor(name: "atrium.notifier", niceness: 10)
    /// Tenants whose changed subscriptions are to be written now.
    private let flushRequests: AsyncStream<String>
    private let flushContinuation: AsyncStream<String>.Continuation

    private struct State {
        /// Subscriptions whose counters changed since the last flush, by tenant.
        var unflushed: [String: Set<String>] = [:]
        /// Failed notifications waiting for their next attempt (`-notifRetries`, `-notifOutbox`).
        var retries: [Retry] = []
        /// Outbox keys of notifications done with (delivered, or out of attempts), by tenant, to remove.
        var finishedOutboxKeys: [String: [Int64]] = [:]
        /// The correlator root of the last change of each entity, for self-notification loop protection.
        var lastCorrelators: [EntityKey: String] = [:]
    }

    /// One notification to send, and which attempt it is.
    private struct Delivery: Sendable {
        var notification: OutboundNotification
        var subscriptionID: String
        var tenant: String
        /// 0 for the first attempt.
        var attempt = 0
        /// The notification's key in the tenant's outbox (`-notifOutbox`).
        var outboxKey: Int64?

        /// Whether it goes over HTTP (whose status codes and failure texts the counters keep).
        var isHTTP: Bool {
            if case .http = notification.destination { return true }
            return false
        }
    }

    /// A failed delivery and when to try it again.
    private struct Retry {
        var due: ContinuousClock.Instant
        var delivery: Delivery
    }

    /// The wait before the first retry; each next one waits twice as long, at most ``longestRetryDelay``.
    static let firstRetryDelay = Duration.milliseconds(500)
    static let longestRetryDelay = Duration.seconds(60)

    /// An entity's identity across tenants.
    private struct EntityKey: Hashable {
        var tenant: String
        var servicePath: String
        var id: String
        var type: String
    }

    /// The most entities whose last correlator is remembered; beyond it the memory starts again.
    static let correlatorMemory = 100_000

    /// - Parameters:
    ///   - broker: the broker whose subscriptions and databases are used.
    ///   - changes: the queue the broker's writes emit into.
    ///   - dispatcher: where notifications go.
    ///   - settings: the broker's notification options.
    package init(
        broker: ContextBroker, changes: ChangeQueue, dispatcher: NotificationDispatcher,
        settings: NotificationSettings, logger: Logger
    ) {
        self.broker = broker
        self.changes = changes
        self.dispatcher = dispatcher
        self.builder = NotificationBuilder(disablesCustomNotifications: settings.disableCustomNotifications)
        if case .threadpool = settings.mode { self.flowControl = settings.flowControl } else { self.flowControl = nil }
        self.flushInterval =
            settings.subscriptionCacheInterval > 0 ? .seconds(settings.subscriptionCacheInterval) : nil
        self.retryLimit = settings.retries
        self.usesOutbox = settings.outbox
        self.logger = logger
        (flushRequests, flushContinuation) = AsyncStream.makeStream(of: String.self)
    }

    /// Processes change events until graceful shutdown (the events already queued first), flushing counters
    /// every interval; flushes a last time before returning.
    package func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await tenant in self.flushRequests { await self.flushCounters(tenant: tenant) }
            }
            if retryLimit > 0 || usesOutbox {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(100))
                        self.sendDueRetries()
                        await self.removeFinishedOutboxNotifications()
                    }
                }
            }
            if usesOutbox { await recoverOutbox() }
            if let interval = flushInterval {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        await self.flushCounters()
                    }
                }
            }
            // The queue drains on graceful shutdown (the events already queued first); then the others stop.
            // Matching runs on the notifier's own low-priority thread (see `executor`).
            await withTaskExecutorPreference(executor) {
                await changes.drain(into: self)
            }
            flushContinuation.finish()
            group.cancelAll()
        }
        await removeFinishedOutboxNotifications()
        await flushCounters()
    }

    // MARK: - Matching and sending

    /// Sends the notifications of one write's events, numbered together (`cbnotif`); with `options=flowControl`
    /// and `-notifFlowControl`, returns only once the queue has drained as the gauge asks.
    package func entitiesChanged(_ events: [ChangeEvent]) async {
        let now = DateTimeFormat.now()
        let waitingBefore = dispatcher.waitingCount
        var ordinal = 0
        var deliveries: [Delivery] = []
        for event in events {
            if isNotificationLoop(event) {
                if let entity = event.entity {
                    // Orion's warning, word for word.
                    logger.warning(
                        "Notification loop detected for entity id <\(entity.id)> type <\(entity.type)>, skipping subscription triggering"
                    )
                }
                continue
            }
            var renderings = NotificationBuilder.Renderings()
            for match in broker.subscriptions.matches(event, now: now) {
                guard let claimed = claim(match, now: now) else { continue }
                ordinal += 1
                // A full queue rejects before the notification is built (the outbox keeps rejected ones instead).
                if !usesOutbox, dispatcher.rejectIfFull(queue: event.tenant) {
                    record(
                        .rejected, id: claimed.subscription.id, tenant: claimed.subscription.tenant,
                        isHTTP: claimed.subscription.notification.destination.isHTTP)
                    continue
                }
                guard
                    let notification = builder.notification(
                        claimed, event: event, ordinal: ordinal, renderings: &renderings)
                else {
                    continue
                }
                deliveries.append(
                    Delivery(
                        notification: notification, subscriptionID: claimed.subscription.id,
                        tenant: claimed.subscription.tenant))
            }
        }
        if usesOutbox { deliveries = await keepInOutbox(deliveries, journaled: events) }
        for delivery in deliveries { send(delivery) }
        if ordinal > 0 { broker.statistics.withLock { $0.notificationsSent += ordinal } }
        if let flowControl, ordinal > 0, events.contains(where: \.origin.flowControl) {
            let limit = waitingBefore + Int((1 - flowControl.gauge) * Double(ordinal))
            await dispatcher.waitForQueue(
                atMost: limit, stepDelay: .milliseconds(flowControl.stepDelay),
                maximumWait: .milliseconds(flowControl.maxInterval))
        }
    }

    /// Hands one attempt to the dispatcher; its outcome is recorded, and a failure is tried again later while
    /// `-notifRetries` allows.
    private func send(_ delivery: Delivery) {
        dispatcher.submit(delivery.notification) { [self] outcome in
            record(outcome, id: delivery.subscriptionID, tenant: delivery.tenant, isHTTP: delivery.isHTTP)
            var retries = false
            switch outcome {
            case .failed: retries = true
            case .rejected: retries = delivery.outboxKey != nil
            case .delivered, .simulated: retries = false
            }
            // With the outbox, a notification is tried until delivered unless -notifRetries sets a limit.
            let attemptsLeft = delivery.outboxKey != nil && retryLimit == 0 ? true : delivery.attempt < retryLimit
            guard retries, attemptsLeft else {
                if let key = delivery.outboxKey {
                    state.withLock { $0.finishedOutboxKeys[delivery.tenant, default: []].append(key) }
                }
                return
            }
            var next = delivery
            next.attempt += 1
            var delay = Self.firstRetryDelay
            for _ in 1..<next.attempt where delay < Self.longestRetryDelay { delay *= 2 }
            let retry = Retry(due: .now + min(delay, Self.longestRetryDelay), delivery: next)
            state.withLock { $0.retries.append(retry) }
        }
    }

    /// Sends the retries whose time has come.
    private func sendDueRetries() {
        let now = ContinuousClock.now
        let due = state.withLock { state -> [Retry] in
            let due = state.retries.filter { $0.due <= now }
            state.retries.removeAll { $0.due <= now }
            return due
        }
        for retry in due { send(retry.delivery) }
    }

    // MARK: - The outbox

    /// Writes the notifications into their tenant's outbox and removes the journaled events they came from, in
    /// one transaction; returns them with their outbox keys. When the write fails the notifications are still
    /// sent, and the journal keeps the events for the next start.
    private func keepInOutbox(_ deliveries: [Delivery], journaled events: [ChangeEvent]) async -> [Delivery] {
        let journalKeys = events.compactMap(\.journalKey)
        guard let tenant = events.first?.tenant, !deliveries.isEmpty || !journalKeys.isEmpty else { return deliveries }
        do {
            let database = try await broker.database(tenant: tenant)
            return try await database.timedWrite { connection in
                var kept = deliveries
                for index in kept.indices {
                    kept[index].outboxKey = try await NotificationOutboxStore.insert(
                        connection, subscriptionID: kept[index].subscriptionID, kept[index].notification)
                }
                try await NotificationOutboxStore.removeJournaled(connection, journalKeys)
                return kept
            }
        } catch {
            logger.error("cannot write the notification outbox", metadata: ["error": "\(error)"])
            return deliveries
        }
    }

    /// Removes the delivered (or given up) notifications from the outboxes.
    private func removeFinishedOutboxNotifications() async {
        let finished = state.withLock { state -> [String: [Int64]] in
            defer { state.finishedOutboxKeys = [:] }
            return state.finishedOutboxKeys
        }
        for (tenant, keys) in finished {
            do {
                try await broker.database(tenant: tenant).timedWrite { connection in
                    try await NotificationOutboxStore.remove(connection, keys)
                }
            } catch {
                state.withLock { $0.finishedOutboxKeys[tenant, default: []].append(contentsOf: keys) }
                logger.error("cannot clean the notification outbox", metadata: ["error": "\(error)"])
            }
        }
    }

    /// At start: sends again every notification left in an outbox, then notifies the journaled changes that
    /// had not been turned into notifications (a stop, even SIGKILL, between a write and its notifications).
    private func recoverOutbox() async {
        let configuration = broker.configuration
        for tenant in [""] + configuration.storedTenants() {
            do {
                let database = try await broker.database(tenant: tenant)
                let (pending, journaled) = try await database.read { connection in
                    (
                        try await NotificationOutboxStore.pending(connection),
                        try await NotificationOutboxStore.journaled(connection)
                    )
                }
                for item in pending {
                    send(
                        Delivery(
                            notification: item.notification, subscriptionID: item.subscriptionID, tenant: tenant,
                            outboxKey: item.key))
                }
                var batch: [ChangeEvent] = []
                for (key, event) in journaled {
                    var event = event
                    event.journalKey = key
                    batch.append(event)
                }
                if !batch.isEmpty { await entitiesChanged(batch) }
                if !pending.isEmpty || !batch.isEmpty {
                    logger.info(
                        "notification outbox recovered",
                        metadata: [
                            "tenant": "\(tenant)", "notifications": "\(pending.count)", "changes": "\(batch.count)",
                        ])
                }
            } catch {
                logger.error("cannot read the notification outbox", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Whether an event is an update made by a notification's receiver with the correlator of the change that
    /// notified it (Orion's self-notification loop protection); remembers the event's correlator for its
    /// entity either way.
    private func isNotificationLoop(_ event: ChangeEvent) -> Bool {
        guard let entity = event.entity, !event.origin.correlator.isEmpty else { return false }
        let key = EntityKey(tenant: event.tenant, servicePath: entity.servicePath, id: entity.id, type: entity.type)
        return state.withLock { state in
            let last =
                event.kind == .entityDelete
                ? state.lastCorrelators.removeValue(forKey: key) : state.lastCorrelators[key]
            if event.kind != .entityDelete {
                if state.lastCorrelators.count >= Self.correlatorMemory { state.lastCorrelators.removeAll() }
                state.lastCorrelators[key] = event.origin.correlator
            }
            return event.origin.fromNotification && last == event.origin.correlator
        }
    }

    /// Takes a match for sending: the subscription must still be live and out of its throttling window; then
    /// `timesSent` and `lastNotification` count it, and a oneshot subscription becomes inactive (and is stored).
    /// - Returns: the match with the subscription as it is now, or `nil` when nothing is to be sent.
    private func claim(_ match: SubscriptionMatch, now: Double) -> SubscriptionMatch? {
        let id = match.subscription.id
        let tenant = match.subscription.tenant
        var disarmed: Subscription?
        let claimed = broker.subscriptions.updateState(id: id, tenant: tenant) { subscription -> Subscription? in
            guard subscription.isLive(at: now) else { return nil }
            if subscription.throttling > 0, let last = subscription.counters.lastNotification,
                now - last < Double(subscription.throttling)
            {
                return nil
            }
            let sent = subscription
            subscription.counters.timesSent += 1
            // Whole seconds, as Orion keeps them (`.000Z` on GET).
            subscription.counters.lastNotification = now.rounded(.down)
            if subscription.status == .oneshot {
                subscription.status = .inactive
                disarmed = subscription
            }
            return sent
        }
        guard let claimed = claimed ?? nil else { return nil }
        markUnflushed(id: id, tenant: tenant)
        if let disarmed { store(disarmed) }
        return SubscriptionMatch(subscription: claimed, attributes: match.attributes)
    }

    /// Keeps the outcome of one notification in its subscription's counters (HTTP codes and reasons only for
    /// HTTP, as Orion); a failure beyond `maxFailsLimit` makes the subscription inactive, with Orion's warning.
    private func record(_ outcome: DeliveryOutcome, id: String, tenant: String, isHTTP: Bool) {
        let now = DateTimeFormat.now().rounded(.down)
        var disabled: Subscription?
        let known: Void? = broker.subscriptions.updateState(id: id, tenant: tenant) { subscription in
            var counters = subscription.counters
            switch outcome {
            case .delivered(let code):
                counters.lastSuccess = now
                if isHTTP, let code { counters.lastSuccessCode = code }
                counters.failsCounter = 0
            case .failed(let reason):
                counters.lastFailure = now
                if isHTTP { counters.lastFailureReason = reason }
                counters.failsCounter += 1
            case .rejected:
                counters.lastFailure = now
                if isHTTP { counters.lastFailureReason = "notification queue is full" }
                counters.failsCounter += 1
            case .simulated:
                return
            }
            subscription.counters = counters
            let limit = subscription.notification.maxFailsLimit
            if limit > 0, counters.failsCounter > limit, subscription.status != .inactive {
                subscription.status = .inactive
                disabled = subscription
            }
        }
        guard known != nil else { return }
        markUnflushed(id: id, tenant: tenant)
        if let disabled {
            logger.warning(
                "Subscription \(id) automatically disabled due to failsCounter (\(disabled.counters.failsCounter)) overpasses maxFailsLimit (\(disabled.notification.maxFailsLimit))"
            )
            store(disabled)
        }
    }

    // MARK: - Writing back

    private func markUnflushed(id: String, tenant: String) {
        state.withLock { _ = $0.unflushed[tenant, default: []].insert(id) }
    }

    /// Writes one subscription's state now (a status the notifier changed), in the background of the tenant's
    /// writer.
    private func store(_ subscription: Subscription) {
        // Its callers have marked it unflushed already.
        flushContinuation.yield(subscription.tenant)
    }

    /// Writes the cached state of every subscription whose counters changed since the last flush.
    package func flushCounters() async {
        let tenants = state.withLock { Array($0.unflushed.keys) }
        for tenant in tenants { await flushCounters(tenant: tenant) }
    }

    private func flushCounters(tenant: String) async {
        let ids = state.withLock { $0.unflushed.removeValue(forKey: tenant) ?? [] }
        guard !ids.isEmpty else { return }
        let cache = broker.subscriptions
        do {
            let database = try await broker.database(tenant: tenant)
            try await database.timedWrite { connection in
                // Read from the cache on the writer, so that a PATCH or DELETE committed before is not undone.
                for id in ids {
                    guard let subscription = cache.subscription(id: id, tenant: tenant) else { continue }
                    try await SubscriptionStore.update(connection, subscription)
                }
            }
        } catch {
            state.withLock { $0.unflushed[tenant, default: []].formUnion(ids) }
            logger.error("cannot store subscription counters", metadata: ["error": "\(error)"])
        }
    }
}
