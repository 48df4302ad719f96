/// Orion's notification and forwarding options, parsed and validated now and kept for the subscriptions to come
/// (doc/manuals/admin/cli.md; perf_tuning.md).
package struct NotificationSettings: Sendable, Equatable {
    /// `-notificationMode` [transient].
    package var mode = NotificationMode.transient
    /// `-notifFlowControl`, only with a `threadpool` mode.
    package var flowControl: NotificationFlowControl?
    /// `-httpTimeout` [-1: Orion's 5 s], in milliseconds, at most 1,800,000.
    package var httpTimeout = -1
    /// `-mqttTimeout` [-1], in milliseconds.
    package var mqttTimeout = -1
    /// `-kafkaTimeout` [-1], in milliseconds.
    package var kafkaTimeout = -1
    /// `-mqttMaxAge` [60], in minutes.
    package var mqttMaxAge = 60
    /// `-kafkaMaxAge` [43200], in minutes.
    package var kafkaMaxAge = 43200
    /// `-subCacheIval` [60], in seconds, 0 to 3600 (0: no refresh).
    package var subscriptionCacheInterval = 60
    /// `-noCache`.
    package var noCache = false
    /// `-cprForwardLimit` [1000].
    package var forwardLimit = 1000
    /// `-simulatedNotification`: count notifications instead of sending them.
    package var simulated = false
    /// `-disableCustomNotifications`.
    package var disableCustomNotifications = false
    /// `-insecureNotif`: HTTPS notifications to peers whose certificate does not verify.
    package var insecure = false
    /// `-outReqMsgMaxSize` [8 MiB].
    package var outgoingMessageMaximum = 8_388_608
    /// `-statNotifQueue`.
    package var statNotifQueue = false
    /// `-notifRetries` (Atrium's, 0 as Orion): how many times a notification that did not reach its receiver
    /// is tried again, with exponential backoff.
    package var retries = 0
    /// `-notifOutbox` (Atrium's): every change is journaled with its write and every notification kept in the
    /// database until delivered, so that none is lost to a restart or a receiver outage; failed notifications
    /// are tried again until delivered (or `-notifRetries` times, when given).
    package var outbox = false

    package init() {}
}
