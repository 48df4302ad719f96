/// The counters of the queues of a `threadpool` dispatcher, summed over its queues (Orion's `notifQueue` block
/// of `/statistics`).
package struct DeliveryStatistics: Sendable, Equatable {
    /// Notifications accepted into a queue.
    package var queued = 0
    /// Notifications taken out of a queue by a worker.
    package var dequeued = 0
    /// Notifications refused because their queue was full.
    package var rejected = 0
    /// Notifications delivered (``DeliveryOutcome/delivered(statusCode:)``).
    package var sentOK = 0
    /// Notifications that failed (``DeliveryOutcome/failed(reason:)``).
    package var sentError = 0
    /// The time dequeued notifications spent waiting, summed, in seconds.
    package var timeInQueue = 0.0
    /// Notifications waiting now.
    package var size = 0

    package init() {}

    /// The mean wait of a dequeued notification, in seconds; 0 before the first.
    package var averageTimeInQueue: Double { dequeued == 0 ? 0 : timeInQueue / Double(dequeued) }
}
