import Synchronization
import Foundation

extension ContextBroker {
    /// `GET /statistics` (doc/manuals/admin/statistics.md).
    func statisticsReport() -> NGSIResponse {
        let snapshot = statistics.withLock { $0 }
        let uptime = Int(Date().timeIntervalSince(startTime))
        let interval = Int(Date().timeIntervalSince(snapshot.measuringSince))
        var members: [(String, JSONValue)] = []
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
            let requests = snapshot.requests.keys.sorted().map { route in
                (route, JSONValue.object((snapshot.requests[route] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) }))
            }
            if !requests.isEmpty { counters.append(("requests", .object(requests))) }
            members.append(("counters", .object(counters)))
        }
        if configuration.statSemWait {
            members.append(("semWait", .object([("request", .number(0)), ("dbConnectionPool", .number(0)), ("transaction", .number(0))])))
        }
        if configuration.statTiming {
            members.append(("timing", .object([])))
        }
        members.append(("uptime_in_secs", .number(Double(uptime))))
        members.append(("measuring_interval_in_secs", .number(Double(interval))))
        return .json(.object(members))
    }

    /// `DELETE /statistics`.
    func resetStatistics() -> NGSIResponse {
        statistics.withLock { $0 = BrokerStatistics() }
        return .json(.object([("message", .string("All statistics counter reset"))]))
    }

    /// `GET /admin/log`.
    func logReport() -> NGSIResponse {
        let settings = logSettings.withLock { $0 }
        return .json(
            .object([
                ("infoPayloadMaxSize", .number(Double(settings.infoPayloadMaxSize))), ("level", .string(settings.level)),
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
        return NGSIResponse(status: 200)
    }
}
