import Foundation
import Notifications
import Synchronization

extension ContextBroker {
    /// `GET /statistics` (doc/manuals/admin/statistics.md).
    func statisticsReport() -> NGSIResponse {
        let snapshot = statistics.withLock { $0 }
        let uptime = Int(Date().timeIntervalSince(startTime))
        let interval = Int(Date().timeIntervalSince(snapshot.measuringSince))
        // Raw JSON texts: the times of semWait and timing have their own number format.
        var members: [(String, String)] = []
        if configuration.statCounters {
            var counters: [(String, JSONValue)] = []
            func add(_ name: String, _ value: Int) {
                if value > 0 { counters.append((name, .number(Double(value)))) }
            }
            add("jsonRequests", snapshot.jsonRequests)
            add("textRequests", snapshot.textRequests)
            add("noPayloadRequests", snapshot.noPayloadRequests)
            add("invalidRequests", snapshot.invalidRequests)
            add("missedVerb", snapshot.missedVerb)
            add("notificationsSent", snapshot.notificationsSent)
            let requests = snapshot.requests.keys.sorted().map { route in
                (
                    route,
                    JSONValue.object(
                        (snapshot.requests[route] ?? [:]).sorted { $0.key < $1.key }.map {
                            ($0.key, .number(Double($0.value)))
                        })
                )
            }
            if !requests.isEmpty { counters.append(("requests", .object(requests))) }
            members.append(("counters", JSONValue.object(counters).serialized))
        }
        if configuration.statSemWait { members.append(("semWait", Self.semWaitBlock(snapshot))) }
        if configuration.statTiming { members.append(("timing", Self.timingBlock(snapshot))) }
        if configuration.notifications.statNotifQueue, case .threadpool = configuration.notifications.mode,
            let dispatcher
        {
            members.append(("notifQueue", Self.notificationQueueBlock(dispatcher.statistics)))
        }
        if configuration.notifications.simulated, let dispatcher {
            members.append(("simulatedNotifications", String(dispatcher.simulatedCount)))
        }
        members.append(("uptime_in_secs", String(uptime)))
        members.append(("measuring_interval_in_secs", String(interval)))
        let body = members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        return NGSIResponse(status: 200, body: "{" + body + "}")
    }

    /// The `semWait` block, with Orion's members in Orion's order (statistics.md, "SemWait block"). Atrium has no
    /// subscription cache, metrics lock or connection context to wait for: those stay 0.
    static func semWaitBlock(_ statistics: BrokerStatistics) -> String {
        let members: [(String, Duration)] = [
            ("request", statistics.requestWait), ("dbConnectionPool", statistics.connectionWait),
            ("transaction", statistics.transactionWait), ("subCache", .zero), ("metrics", .zero),
            ("connectionContext", .zero), ("timeStat", .zero),
        ]
        return "{" + members.map { "\"\($0.0)\":\(StatisticsNumber.text($0.1))" }.joined(separator: ",") + "}"
    }

    /// The `notifQueue` block (statistics.md, "NotifQueue block"), summed over the queues, members in the order
    /// of Orion's example.
    static func notificationQueueBlock(_ statistics: DeliveryStatistics) -> String {
        let parts = [
            "\"avgTimeInQueue\":\(StatisticsNumber.text(seconds: statistics.averageTimeInQueue))",
            "\"in\":\(statistics.queued)", "\"out\":\(statistics.dequeued)", "\"reject\":\(statistics.rejected)",
            "\"sentOk\":\(statistics.sentOK)", "\"sentError\":\(statistics.sentError)",
            "\"timeInQueue\":\(StatisticsNumber.text(seconds: statistics.timeInQueue))", "\"size\":\(statistics.size)",
        ]
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The `timing` block (statistics.md, "Timing block"): `accumulated` and `last`, each with its non-zero
    /// members among `jsonV2Parse`, `render` and `total`; `{}` before any request was measured.
    static func timingBlock(_ statistics: BrokerStatistics) -> String {
        func block(_ timing: RequestTiming) -> String? {
            let members = [("jsonV2Parse", timing.jsonV2Parse), ("render", timing.render), ("total", timing.total)]
                .filter { $0.1 != .zero }
            if members.isEmpty { return nil }
            return "{" + members.map { "\"\($0.0)\":\(StatisticsNumber.text($0.1))" }.joined(separator: ",") + "}"
        }
        var parts: [String] = []
        if let accumulated = block(statistics.accumulatedTiming) { parts.append("\"accumulated\":" + accumulated) }
        if let last = block(statistics.lastTiming) { parts.append("\"last\":" + last) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `DELETE /statistics`.
    func resetStatistics() -> NGSIResponse {
        // As in Orion, the last request's timing survives a reset; everything else starts again.
        statistics.withLock { statistics in
            let last = statistics.lastTiming
            statistics = BrokerStatistics()
            statistics.lastTiming = last
        }
        dispatcher?.resetStatistics()
        return .json(.object([("message", .string("All statistics counter reset"))]))
    }

    /// `GET /cache/statistics` (statistics.md, "GET /cache/statistics"): the subscription cache's counters, its
    /// size, and the cached ids (`too many subscriptions` past Orion's limit on the list).
    func cacheStatisticsReport() -> NGSIResponse {
        let statistics = subscriptions.statistics
        let ids = statistics.ids.joined(separator: ", ")
        return .json(
            .object([
                ("ids", .string(ids.utf8.count > SubscriptionCache.idListLimit ? "too many subscriptions" : ids)),
                ("refreshs", .number(Double(statistics.refreshes))), ("inserts", .number(Double(statistics.inserts))),
                ("removes", .number(Double(statistics.removes))), ("updates", .number(Double(statistics.updates))),
                ("items", .number(Double(statistics.ids.count))),
            ]))
    }

    /// `DELETE /cache/statistics`: the counters start again (the items stay).
    func resetCacheStatistics() -> NGSIResponse {
        subscriptions.resetStatistics()
        return .json(.object([("message", .string("All statistics counter reset"))]))
    }

    /// `GET /admin/log`.
    func logReport() -> NGSIResponse {
        let settings = logSettings.withLock { $0 }
        return .json(
            .object([
                ("infoPayloadMaxSize", .number(Double(settings.infoPayloadMaxSize))),
                ("level", .string(settings.level)),
                ("lineMaxSize", .number(Double(settings.lineMaxSize))), ("deprecate", .bool(settings.deprecate)),
            ]))
    }

    /// `PUT /admin/log?level=…`.
    func changeLog(_ request: NGSIRequest) throws(NGSIError) -> NGSIResponse {
        let levels: Set<String> = ["NONE", "FATAL", "ERROR", "WARN", "INFO", "DEBUG"]
        var settings = logSettings.withLock { $0 }
        if let level = request.parameters["level"] {
            guard levels.contains(level.uppercased()) else {
                throw NGSIError(.badRequest, "invalid log level")
            }
            settings.level = level.uppercased()
        }
        if let text = request.parameters["infoPayloadMaxSize"] {
            guard let value = Int(text), value >= 0 else { throw NGSIError(.badRequest, "invalid infoPayloadMaxSize") }
            settings.infoPayloadMaxSize = value
        }
        if let text = request.parameters["lineMaxSize"] {
            guard let value = Int(text), value >= 0 else { throw NGSIError(.badRequest, "invalid lineMaxSize") }
            settings.lineMaxSize = value
        }
        if let text = request.parameters["deprecate"] {
            guard text == "true" || text == "false" else { throw NGSIError(.badRequest, "invalid deprecate") }
            settings.deprecate = text == "true"
        }
        logSettings.withLock { $0 = settings }
        logSink?.apply(level: settings.level, lineMaxSize: settings.lineMaxSize)
        return NGSIResponse(status: 200)
    }
}
