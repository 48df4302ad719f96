/// A notification accepted by a ``NotificationDispatcher`` and not yet completed: what to send, whom to tell, and
/// when it was submitted (for the time spent in its queue).
struct PendingNotification: Sendable {
    let notification: OutboundNotification
    let completion: @Sendable (DeliveryOutcome) -> Void
    let submitted: ContinuousClock.Instant
}
