package import Logging
import ServiceLifecycle
import Synchronization

/// The bounded in-process queue between the entity write path and its consumer (the subscriptions engine).
///
/// ``EntityWriter`` hands it the events of each committed write (it is the broker's ``ChangeSink``);
/// ``drain(into:)`` delivers them, in commit order, to the consumer (the ``SubscriptionNotifier``), the events of
/// one write in one call, so that the notifications of one request are numbered together.
///
/// Policy when full: the newest events are dropped and counted (``droppedCount``), and a warning is logged once
/// per run of drops. The write they describe is committed and acknowledged already, so waiting for room would turn
/// a slow consumer into slow or stalled API writes for every client; Orion makes the same choice at its
/// notification queue ("notification queue is full", `-notificationMode threadpool:q:n`). Back-pressure, when a
/// client asks for it, is the subscriptions work's `options=flowControl` (`-notifFlowControl`), on top of this.
///
/// Drops are not reported in `/statistics`: Orion has no member for this queue, and its `notifQueue` block counts
/// notifications.
package final class ChangeQueue: ChangeSink {
    /// The capacity of a broker's queue: Orion's default notification queue size (100) times the ten workers
    /// that drain it.
    package static let defaultCapacity = 1000

    /// The most events held at once.
    package let capacity: Int
    private let logger: Logger
    private let stream: AsyncStream<Batch>
    private let continuation: AsyncStream<Batch>.Continuation
    /// Events held now.
    private let held = Atomic<Int>(0)
    private let counters = Mutex(Counters())

    private struct Counters {
        var dropped = 0
        /// Whether the last event offered was dropped: a warning is logged when a run of drops starts.
        var dropping = false
    }

    /// Whether a write waits for room instead of dropping (`-notifOutbox`, where every change is to be
    /// notified).
    package let waitsWhenFull: Bool

    /// - Parameters:
    ///   - capacity: the most events held at once; more are dropped, or waited for.
    ///   - waitsWhenFull: a write waits for room rather than dropping its events.
    ///   - logger: where a run of drops is reported.
    package init(capacity: Int = ChangeQueue.defaultCapacity, waitsWhenFull: Bool = false, logger: Logger) {
        precondition(capacity > 0, "a change queue holds at least one event")
        self.capacity = capacity
        self.waitsWhenFull = waitsWhenFull
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Batch.self, bufferingPolicy: .unbounded)
    }

    /// The events of one write, and for a request with `options=flowControl` the request waiting for the
    /// consumer to be done with them.
    private struct Batch {
        var events: [ChangeEvent]
        var done: CheckedContinuation<Void, Never>?
    }

    /// How many events were dropped because the queue was full.
    package var droppedCount: Int { counters.withLock { $0.dropped } }

    /// Enqueues the events; those that find the queue full are dropped and counted. A write with
    /// `options=flowControl` waits until the consumer is done with its events (the consumer applies the flow
    /// control); others return at once.
    package func entitiesChanged(_ events: [ChangeEvent]) async {
        if waitsWhenFull {
            // Room for the whole write, in pieces of at most the capacity, waited for a millisecond at a time.
            var rest = events[...]
            while !rest.isEmpty {
                let piece = Array(rest.prefix(capacity))
                if reserve(piece.count) {
                    // A finished stream takes nothing more: the rest of the write is not delivered.
                    guard yield(piece, reserved: piece.count, done: nil) else { return }
                    rest = rest.dropFirst(piece.count)
                } else {
                    try? await Task.sleep(for: .milliseconds(1))
                    if Task.isCancelled { return }
                }
            }
            return
        }
        guard events.contains(where: \.origin.flowControl) else {
            enqueue(events)
            return
        }
        await withCheckedContinuation { done in
            if enqueue(events, done: done) == events.count { done.resume() }
        }
    }

    /// Enqueues the events without waiting, as many as there is room for, in order.
    /// - Returns: how many were dropped.
    @discardableResult
    package func enqueue(_ events: [ChangeEvent]) -> Int {
        enqueue(events, done: nil)
    }

    /// Enqueues the events; `done` is resumed once the consumer is done with them, unless every event was
    /// dropped (the caller resumes it then).
    private func enqueue(_ events: [ChangeEvent], done: CheckedContinuation<Void, Never>?) -> Int {
        // Reserve room before yielding, so that the events held never exceed the capacity.
        var taken = 0
        while true {
            let current = held.load(ordering: .relaxed)
            taken = min(max(0, capacity - current), events.count)
            if taken == 0 { break }
            if held.compareExchange(expected: current, desired: current + taken, ordering: .relaxed).exchanged {
                break
            }
        }
        if taken > 0, !yield(Array(events.prefix(taken)), reserved: taken, done: done) { taken = 0 }
        let dropped = events.count - taken
        let startsDropping = counters.withLock { counters -> Bool in
            counters.dropped += dropped
            defer { counters.dropping = dropped > 0 }
            return dropped > 0 && !counters.dropping
        }
        if startsDropping {
            logger.warning(
                "change queue is full, events dropped", metadata: ["queue.capacity": "\(capacity)"])
        }
        return dropped
    }

    /// Reserves room for `count` events, all or none.
    private func reserve(_ count: Int) -> Bool {
        while true {
            let current = held.load(ordering: .relaxed)
            guard current + count <= capacity else { return false }
            if held.compareExchange(expected: current, desired: current + count, ordering: .relaxed).exchanged {
                return true
            }
        }
    }

    /// Yields reserved events; returns whether the stream took them (the reservation is given back if not).
    private func yield(_ events: [ChangeEvent], reserved: Int, done: CheckedContinuation<Void, Never>?) -> Bool {
        switch continuation.yield(Batch(events: events, done: done)) {
        case .enqueued: return true
        default:
            held.subtract(reserved, ordering: .relaxed)
            return false
        }
    }

    /// Delivers the queued events to `consumer`, the events of one write per call, until graceful shutdown or
    /// cancellation; on graceful shutdown the events already queued are delivered first. Called once.
    package func drain(into consumer: any ChangeSink) async {
        await withGracefulShutdownHandler {
            for await batch in stream {
                held.subtract(batch.events.count, ordering: .relaxed)
                await consumer.entitiesChanged(batch.events)
                batch.done?.resume()
            }
        } onGracefulShutdown: {
            self.finish()
        }
    }

    /// Accepts no more events: ``drain(into:)`` returns once it has delivered those already queued.
    package func finish() {
        continuation.finish()
    }
}
