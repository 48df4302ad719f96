package import Notifications

extension NotificationSettings {
    /// Orion's effective default of `-httpTimeout` and `-mqttTimeout` (their tables say -1).
    static let defaultTimeout = 5000

    /// The settings of the ``NotificationDispatcher`` these options describe: the mode and its queues (a
    /// reserved queue per service), the timeouts, `-outReqMsgMaxSize`, `-insecureNotif` and
    /// `-simulatedNotification`.
    package var delivery: DeliverySettings {
        var settings = DeliverySettings()
        switch mode {
        case .transient: settings.mode = .transient
        case .persistent: settings.mode = .persistent
        case .threadpool(let queueSize, let workers, let services):
            var reserved: [String: DeliverySettings.Queue] = [:]
            for service in services {
                reserved[service.service] = DeliverySettings.Queue(
                    capacity: service.queueSize, workers: service.workers)
            }
            settings.mode = .threadpool(
                default: DeliverySettings.Queue(capacity: queueSize, workers: workers), reserved: reserved)
        }
        settings.httpTimeout = .milliseconds(httpTimeout > 0 ? httpTimeout : Self.defaultTimeout)
        settings.mqttTimeout = .milliseconds(mqttTimeout > 0 ? mqttTimeout : Self.defaultTimeout)
        settings.mqttMaximumAge = .seconds(mqttMaxAge * 60)
        settings.maximumMessageSize = outgoingMessageMaximum
        settings.verifiesCertificates = !insecure
        settings.simulated = simulated
        return settings
    }
}
