package import Logging
import ServiceLifecycle
import Synchronization

/// The bounded in-process queue between the entity write path and its consumer (the subscriptions engine).
///
/// ``EntityWriter`` hands it the events of each committed write (it is the broker's ``ChangeSink``); `run()`
/// delivers them, in commit order, to the consumer sink, one event per call.
///
/// Policy when full: the newest events are dropped and counted (``droppedCount``), and a warning is logged once
/// per run of drops. The write they describe is committed and acknowledged already, so waiting for room would turn
/// a slow consumer into slow or stalled API writes for every client; Orion makes the same choice at its
/// notification queue ("notification queue is full", `-notificationMode threadpool:q:n`). Back-pressure, when a
/// client asks for it, is the subscriptions work's `options=flowControl` (`-notifFlowControl`), on top of this.
///
/// Drops are not reported in `/statistics`: Orion has no member for this queue, and its `notifQueue` block counts
/// notifications, which the subscriptions work will fill.
package final class ChangeQueue: ChangeSink, Service {
    /// The capacity of a broker's queue: Orion's default notification queue size (100) times the ten workers
    /// that drain it.
    package static let defaultCapacity = 1000

    /// The most events held at once.
    package let capacity: Int
    private let consumer: any ChangeSink
    private let logger: Logger
    private let stream: AsyncStream<ChangeEvent>
    private let continuation: AsyncStream<ChangeEvent>.Continuation
    private let counters = Mutex(Counters())

    private struct Counters {
        var dropped = 0
        /// Whether the last event offered was dropped: a warning is logged when a run of drops starts.
        var dropping = false
    }

    /// - Parameters:
    ///   - capacity: the most events held at once; more are dropped.
    ///   - consumer: the sink `run()` delivers to.
    ///   - logger: where a run of drops is reported.
    package init(capacity: Int = ChangeQueue.defaultCapacity, consumer: any ChangeSink, logger: Logger) {
        precondition(capacity > 0, "a change queue holds at least one event")
        self.capacity = capacity
        self.consumer = consumer
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(
            of: ChangeEvent.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// How many events were dropped because the queue was full.
    package var droppedCount: Int { counters.withLock { $0.dropped } }

    /// Enqueues the events without waiting; those that find the queue full are dropped and counted.
    package func entitiesChanged(_ events: [ChangeEvent]) async {
        enqueue(events)
    }

    /// Enqueues the events without waiting.
    /// - Returns: how many were dropped.
    @discardableResult
    package func enqueue(_ events: [ChangeEvent]) -> Int {
        var dropped = 0
        for event in events {
            switch continuation.yield(event) {
            case .enqueued: continue
            case .dropped, .terminated: dropped += 1
            @unknown default: dropped += 1
            }
        }
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

    /// Delivers the queued events to the consumer until graceful shutdown or cancellation; on graceful shutdown
    /// the events already queued are delivered first.
    package func run() async {
        await withGracefulShutdownHandler {
            for await event in stream {
                await consumer.entitiesChanged([event])
            }
        } onGracefulShutdown: {
            self.finish()
        }
    }

    /// Accepts no more events: `run()` returns once it has delivered those already queued.
    package func finish() {
        continuation.finish()
    }
}
