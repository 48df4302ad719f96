/// What became of one notification, reported once to whoever submitted it.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The peer answered: for HTTP the response's status code (any status, as a notification that reached its
    /// receiver), for MQTT `nil` once the publication is acknowledged as its QoS requires (sent, for QoS 0).
    case delivered(statusCode: Int?)
    /// The notification did not reach its peer: the reason, as a short text (e.g. `Couldn't connect to server`,
    /// `Timeout was reached`).
    case failed(reason: String)
    /// The notification was refused before any attempt: its queue was full.
    case rejected
    /// `simulated` delivery: counted, not sent.
    case simulated
}
