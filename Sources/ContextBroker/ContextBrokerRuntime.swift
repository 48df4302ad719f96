package import Logging
import NIOPosix
package import Notifications
package import ServiceLifecycle

/// A context broker with its notification side, ready to run: the broker, the queue its writes emit into, the
/// subscription notifier that drains it, and the dispatcher that sends.
///
/// ``services`` lists them in start order for a `ServiceGroup`, which stops them in reverse: the notifier
/// finishes the queued changes before the dispatcher drains its queues.
package struct ContextBrokerRuntime: Sendable {
    package let broker: ContextBroker
    package let dispatcher: NotificationDispatcher
    package let notifier: SubscriptionNotifier

    /// - Parameters:
    ///   - logSink: the Orion log sink `PUT /admin/log` adjusts, when the broker logs as Orion.
    package init(configuration: BrokerConfiguration, logger: Logger, logSink: OrionLogSink? = nil) {
        let settings = configuration.notifications
        let delivery = settings.delivery
        let mqtt = MQTTTransport(
            group: MultiThreadedEventLoopGroup.singleton, connectTimeout: delivery.mqttTimeout,
            maximumAge: delivery.mqttMaximumAge, logger: logger)
        dispatcher = NotificationDispatcher(settings: delivery, logger: logger, mqtt: mqtt)
        let changes = ChangeQueue(waitsWhenFull: settings.outbox, logger: logger)
        broker = ContextBroker(
            configuration: configuration, sink: changes, logger: logger, logSink: logSink, dispatcher: dispatcher)
        notifier = SubscriptionNotifier(
            broker: broker, changes: changes, dispatcher: dispatcher, settings: settings, logger: logger)
    }

    /// The dispatcher and the notifier, in start order; the HTTP service goes after them.
    package var services: [any Service] { [dispatcher, notifier] }
}
