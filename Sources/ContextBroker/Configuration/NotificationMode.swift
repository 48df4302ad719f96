/// How notifications are sent: Orion's `-notificationMode` (doc/manuals/admin/cli.md; perf_tuning.md, "Orion
/// thread model").
package enum NotificationMode: Sendable, Equatable {
    /// A queue reserved to one service (`serv:q:n` after the first comma of a `threadpool` mode).
    package struct ServiceQueue: Sendable, Equatable {
        package var service: String
        package var queueSize: Int
        package var workers: Int
    }

    /// A connection per notification, closed after it (the default).
    case transient
    /// A connection kept per URL and reused.
    case persistent
    /// A bounded queue of `queueSize` notifications drained by `workers` senders, plus queues reserved to services.
    case threadpool(queueSize: Int, workers: Int, services: [ServiceQueue])

    /// Bare `threadpool`: Orion's default queue size and number of workers (`DEFAULT_NOTIF_QS`, `DEFAULT_NOTIF_TN`).
    package static let defaultQueueSize = 100
    package static let defaultWorkers = 10

    /// Parses `-notificationMode`'s value.
    /// - Returns: the mode, or Orion's fatal message for a value it refuses.
    package static func parse(_ text: String) -> Result<NotificationMode, OrionCommandLineFailure> {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        let first = Scanned(items.first ?? "")
        var mode: NotificationMode
        switch (first.name, first.numbers.count) {
        case ("threadpool", 2):
            let (queueSize, workers) = (first.numbers[0], first.numbers[1])
            guard queueSize > 0 else {
                return .failure(.fatal("Fatal Error parsing notification mode: invalid queue size (\(queueSize))"))
            }
            guard workers > 0 else {
                return .failure(.fatal("Fatal Error parsing notification mode: invalid number of threads (\(workers))"))
            }
            mode = .threadpool(queueSize: queueSize, workers: workers, services: [])
        case ("threadpool", 0):
            mode = .threadpool(queueSize: defaultQueueSize, workers: defaultWorkers, services: [])
        case ("transient", 0):
            mode = .transient
        case ("persistent", 0):
            mode = .persistent
        default:
            return .failure(.fatal("Fatal Error parsing notification mode: invalid mode (\(text))"))
        }
        var services: [ServiceQueue] = []
        for item in items.dropFirst() {
            let scanned = Scanned(item)
            guard scanned.numbers.count == 2, !scanned.name.isEmpty else {
                return .failure(.fatal("Fatal Error parsing service reserved queue: \(item)"))
            }
            services.append(
                ServiceQueue(service: scanned.name, queueSize: scanned.numbers[0], workers: scanned.numbers[1]))
        }
        if case .threadpool(let queueSize, let workers, _) = mode {
            mode = .threadpool(queueSize: queueSize, workers: workers, services: services)
        }
        return .success(mode)
    }

    /// `name:q:n` read as C's `sscanf("%[^:]:%d:%d")` reads it: the name, then the numbers that parse, in order,
    /// stopping at the first that does not.
    private struct Scanned {
        var name: String
        var numbers: [Int] = []

        init(_ text: Substring) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            name = String(parts[0])
            for part in parts.dropFirst() {
                guard let number = Int(part) else { break }
                numbers.append(number)
                if numbers.count == 2 { break }
            }
        }
    }
}
