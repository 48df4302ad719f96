/// How a ``NotificationDispatcher`` sends: the delivery mode and the limits of every exchange.
package struct DeliverySettings: Sendable, Equatable {
    /// The delivery mode.
    package var mode: Mode = .transient
    /// The timeout of an HTTP exchange when the notification gives none.
    package var httpTimeout: Duration = .seconds(5)
    /// The timeout of connecting to an MQTT broker and of an acknowledgement.
    package var mqttTimeout: Duration = .seconds(5)
    /// How long an idle MQTT connection is kept before it is closed.
    package var mqttMaximumAge: Duration = .seconds(3600)
    /// The largest request (HTTP head and body) sent; a larger notification fails without being sent.
    package var maximumMessageSize = 8 * 1024 * 1024
    /// Whether an HTTPS peer's certificate must verify (`false`: any certificate is accepted).
    package var verifiesCertificates = true
    /// Whether notifications are counted and completed as ``DeliveryOutcome/simulated`` instead of being sent.
    package var simulated = false

    /// When and over which connections notifications are sent.
    package enum Mode: Sendable, Equatable {
        /// Each notification is sent at once over a connection of its own, closed after it.
        case transient
        /// Each notification is sent at once; connections are kept per peer and reused.
        case persistent
        /// Notifications wait in bounded queues drained by a fixed number of workers each, over reused
        /// connections: the default queue, and queues reserved to names (``OutboundNotification/queue``).
        case threadpool(default: Queue, reserved: [String: Queue])
    }

    /// One bounded queue and its workers.
    package struct Queue: Sendable, Equatable {
        /// The most notifications waiting at once; more are ``DeliveryOutcome/rejected``.
        package var capacity: Int
        /// How many notifications of the queue are in flight at once.
        package var workers: Int

        package init(capacity: Int, workers: Int) {
            self.capacity = capacity
            self.workers = workers
        }
    }

    package init() {}
}
