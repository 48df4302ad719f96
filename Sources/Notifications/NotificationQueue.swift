import NIOCore

/// One bounded FIFO queue of a `threadpool` dispatcher and its idle workers (Orion's `threadpool:q:n`): at most
/// `capacity` notifications wait; a worker with nothing to do waits for the next one.
///
/// Invariant: workers are idle only while no notification waits, so a new notification goes straight to an idle
/// worker when there is one, and queued notifications are taken in submission order.
struct NotificationQueue {
    /// The queue's limits.
    let settings: DeliverySettings.Queue
    /// The notifications waiting, oldest first.
    private(set) var waiting = CircularBuffer<PendingNotification>()
    /// The workers waiting for a notification; `nil` resumes one to stop.
    private var idleWorkers = CircularBuffer<CheckedContinuation<PendingNotification?, Never>>()
    /// Whether the last offer was rejected (a run of rejections is logged once).
    private var rejecting = false

    init(settings: DeliverySettings.Queue) {
        self.settings = settings
    }

    /// What became of an offered notification.
    enum Offer {
        /// An idle worker takes it: resume it with the notification, outside the lock.
        case handedOver(CheckedContinuation<PendingNotification?, Never>)
        /// It waits in the queue.
        case queued
        /// The queue is full.
        case rejected
    }

    /// Offers a notification: to an idle worker, else to the queue if it has room.
    mutating func offer(_ pending: PendingNotification) -> Offer {
        if let worker = idleWorkers.popFirst() {
            rejecting = false
            return .handedOver(worker)
        }
        guard waiting.count < settings.capacity else { return .rejected }
        rejecting = false
        waiting.append(pending)
        return .queued
    }

    /// Records a rejection; returns whether it starts a run of them.
    mutating func startRejecting() -> Bool {
        defer { rejecting = true }
        return !rejecting
    }

    /// Whether an offer now would be rejected: no idle worker, and `capacity` notifications waiting.
    var isFull: Bool { idleWorkers.isEmpty && waiting.count >= settings.capacity }

    /// The oldest waiting notification, out of the queue.
    mutating func takeNext() -> PendingNotification? { waiting.popFirst() }

    /// Registers a worker that found the queue empty.
    mutating func park(_ worker: CheckedContinuation<PendingNotification?, Never>) {
        precondition(waiting.isEmpty, "a worker waits only while no notification does")
        idleWorkers.append(worker)
    }

    /// Takes every idle worker out, to resume them with `nil`.
    mutating func releaseIdleWorkers() -> CircularBuffer<CheckedContinuation<PendingNotification?, Never>> {
        defer { idleWorkers.removeAll() }
        return idleWorkers
    }

    /// Takes every waiting notification out, to fail them.
    mutating func removeAllWaiting() -> CircularBuffer<PendingNotification> {
        defer { waiting.removeAll() }
        return waiting
    }
}
