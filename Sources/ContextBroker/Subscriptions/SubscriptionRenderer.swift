/// Renders subscriptions as Orion 4.x does on `GET /v2/subscriptions[/{id}]`: its member order, its defaults
/// (`"status":"active"`, `"attrs":[]`, `"onlyChangedAttrs":false`, `"attrsFormat":"normalized"`,
/// `"notifyOnMetadataChange":true`, `"covered":false`), counters only once set, dates as
/// `YYYY-MM-DDThh:mm:ss.sssZ` and MQTT passwords as `*****`.
package enum SubscriptionRenderer {
    /// How Orion hides an MQTT password.
    static let hiddenPassword = "*****"

    /// One subscription.
    /// - Parameters:
    ///   - now: the time that decides whether the status is `expired`.
    ///   - forStorage: the stored document: the password in clear, the stored status rather than `expired`.
    package static func render(_ subscription: Subscription, now: Double, forStorage: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(subscription.id))]
        if !subscription.description.isEmpty { members.append(("description", .string(subscription.description))) }
        if let expires = subscription.expires { members.append(("expires", date(expires))) }
        let status = forStorage ? subscription.status.rawValue : subscription.effectiveStatus(at: now)
        members.append(("status", .string(status)))
        members.append(("subject", render(subscription.subject)))
        members.append(
            ("notification", render(subscription.notification, subscription.counters, forStorage: forStorage)))
        if subscription.throttling > 0 { members.append(("throttling", .number(Double(subscription.throttling)))) }
        return .object(members)
    }

    /// A list, as `GET /v2/subscriptions` answers.
    package static func render(_ subscriptions: [Subscription], now: Double) -> JSONValue {
        .array(subscriptions.map { render($0, now: now) })
    }

    private static func date(_ seconds: Double) -> JSONValue { .string(DateTimeFormat.render(seconds)) }

    private static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }

    private static func render(_ subject: SubscriptionSubject) -> JSONValue {
        let entities = subject.entities.map { selector -> JSONValue in
            var members: [(String, JSONValue)] = []
            if let id = selector.id { members.append(("id", .string(id))) }
            if let pattern = selector.idPattern { members.append(("idPattern", .string(pattern))) }
            if let type = selector.type { members.append(("type", .string(type))) }
            if let pattern = selector.typePattern { members.append(("typePattern", .string(pattern))) }
            return .object(members)
        }
        let condition = subject.condition
        var members: [(String, JSONValue)] = [("attrs", strings(condition.attributes))]
        let expression = condition.expression
        if !expression.isEmpty {
            var fields: [(String, JSONValue)] = []
            for (name, text) in [
                ("q", expression.q), ("mq", expression.mq), ("geometry", expression.geometry),
                ("coords", expression.coords), ("georel", expression.georel),
            ] where !text.isEmpty {
                fields.append((name, .string(text)))
            }
            members.append(("expression", .object(fields)))
        }
        if !condition.alterationTypes.isEmpty {
            members.append(("alterationTypes", strings(condition.alterationTypes.map(\.rawValue))))
        }
        members.append(("notifyOnMetadataChange", .bool(condition.notifyOnMetadataChange)))
        return .object([("entities", .array(entities)), ("condition", .object(members))])
    }

    private static func render(
        _ notification: SubscriptionNotification, _ counters: SubscriptionCounters, forStorage: Bool
    ) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if counters.timesSent > 0 { members.append(("timesSent", .number(Double(counters.timesSent)))) }
        if let last = counters.lastNotification { members.append(("lastNotification", date(last))) }
        members.append((notification.excludesAttributes ? "exceptAttrs" : "attrs", strings(notification.attributes)))
        members.append(("onlyChangedAttrs", .bool(notification.onlyChangedAttributes)))
        members.append(("attrsFormat", .string(notification.format.rawValue)))
        members.append((notification.destination.memberName, render(notification.destination, forStorage: forStorage)))
        if !notification.metadata.isEmpty { members.append(("metadata", strings(notification.metadata))) }
        if let failure = counters.lastFailure { members.append(("lastFailure", date(failure))) }
        if let reason = counters.lastFailureReason, !reason.isEmpty {
            members.append(("lastFailureReason", .string(reason)))
        }
        if let success = counters.lastSuccess { members.append(("lastSuccess", date(success))) }
        if let code = counters.lastSuccessCode { members.append(("lastSuccessCode", .number(Double(code)))) }
        if notification.maxFailsLimit > 0 {
            members.append(("maxFailsLimit", .number(Double(notification.maxFailsLimit))))
        }
        if counters.failsCounter > 0 { members.append(("failsCounter", .number(Double(counters.failsCounter)))) }
        members.append(("covered", .bool(notification.covered)))
        return .object(members)
    }

    private static func render(_ destination: NotificationDestination, forStorage: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = []
        switch destination {
        case .http(let http):
            members.append(("url", .string(http.url)))
            if http.timeout > 0 { members.append(("timeout", .number(Double(http.timeout)))) }
            if let custom = http.custom {
                members += render(custom.payload)
                if let method = custom.method { members.append(("method", .string(method))) }
                if !custom.query.isEmpty { members.append(("qs", .object(custom.query.map { ($0, .string($1)) }))) }
                if !custom.headers.isEmpty {
                    members.append(("headers", .object(custom.headers.map { ($0, .string($1)) })))
                }
            }
        case .mqtt(let mqtt):
            members.append(("url", .string(mqtt.url)))
            members.append(("topic", .string(mqtt.topic)))
            members.append(("qos", .number(Double(mqtt.qos))))
            members.append(("retain", .bool(mqtt.retain)))
            if let user = mqtt.user, let password = mqtt.password {
                members.append(("user", .string(user)))
                members.append(("passwd", .string(forStorage ? password : hiddenPassword)))
            }
            if let custom = mqtt.custom { members += render(custom) }
        }
        return .object(members)
    }

    private static func render(_ payload: CustomPayload) -> [(String, JSONValue)] {
        switch payload {
        case .standard: return []
        case .empty: return [("payload", .null)]
        case .text(let text): return [("payload", .string(text))]
        case .json(let value): return [("json", value)]
        case .ngsi(let value): return [("ngsi", value)]
        }
    }
}
