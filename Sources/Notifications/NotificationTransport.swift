/// One protocol's way of sending notifications (HTTP, MQTT): what a ``NotificationDispatcher`` calls once it has
/// decided that a notification goes now.
///
/// A transport owns its connections (kept per peer and reused, or one per notification, as it was made) and
/// never throws: every failure is a ``DeliveryOutcome/failed(reason:)``.
public protocol NotificationTransport: Sendable {
    /// Sends one notification and waits for its outcome, at most `timeout` (connect, send, response).
    func deliver(_ notification: OutboundNotification, timeout: Duration) async -> DeliveryOutcome
    /// Closes every connection; later deliveries fail.
    func shutdown() async
}
