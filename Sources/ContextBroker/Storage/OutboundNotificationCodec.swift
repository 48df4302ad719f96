import NIOCore
import Notifications
import Persistence

/// The stored form of an ``OutboundNotification``'s destination, queue and timeout in the notification outbox
/// (`-notifOutbox`); the body is stored beside it as it is.
enum OutboundNotificationCodec {
    static func encode(_ notification: OutboundNotification) -> String {
        var members: [(String, JSONValue)] = [("queue", .string(notification.queue))]
        if let timeout = notification.timeout {
            let components = timeout.components
            let milliseconds = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
            members.append(("timeout", .number(milliseconds)))
        }
        switch notification.destination {
        case .http(let target):
            members.append(("url", .string(target.url)))
            members.append(("method", .string(target.method)))
            members.append(
                ("headers", .array(target.headers.map { .array([.string($0.name), .string($0.value)]) })))
        case .mqtt(let target):
            members.append(("host", .string(target.host)))
            members.append(("port", .number(Double(target.port))))
            members.append(("topic", .string(target.topic)))
            members.append(("qos", .number(Double(target.qos))))
            members.append(("retain", .bool(target.retain)))
            if let user = target.user { members.append(("user", .string(user))) }
            if let password = target.password { members.append(("password", .string(password))) }
        }
        return JSONValue.object(members).serialized
    }

    /// - Throws: ``PersistenceError`` when the text is not a stored notification (a damaged file).
    static func decode(_ text: String, body: [UInt8]) throws(PersistenceError) -> OutboundNotification {
        let damaged = PersistenceError(.corruptedRecord, "an outbox notification does not read")
        guard let json = try? JSONParser.parse(text), let queue = json["queue"]?.stringValue else { throw damaged }
        var timeout: Duration?
        if case .number(let milliseconds)? = json["timeout"] { timeout = .milliseconds(Int64(milliseconds)) }
        let destination: OutboundNotification.Destination
        if let url = json["url"]?.stringValue {
            guard let method = json["method"]?.stringValue, case .array(let pairs)? = json["headers"] else {
                throw damaged
            }
            var headers: [HTTPTarget.Header] = []
            for pair in pairs {
                guard case .array(let parts) = pair, parts.count == 2, let name = parts[0].stringValue,
                    let value = parts[1].stringValue
                else { throw damaged }
                headers.append(HTTPTarget.Header(name, value))
            }
            destination = .http(HTTPTarget(url: url, method: method, headers: headers))
        } else {
            guard let host = json["host"]?.stringValue, case .number(let port)? = json["port"],
                let topic = json["topic"]?.stringValue, case .number(let qos)? = json["qos"],
                case .bool(let retain)? = json["retain"], (0...65535).contains(port), (0...2).contains(qos)
            else { throw damaged }
            destination = .mqtt(
                MQTTTarget(
                    host: host, port: Int(port), topic: topic, qos: Int(qos), retain: retain,
                    user: json["user"]?.stringValue, password: json["password"]?.stringValue))
        }
        return OutboundNotification(
            destination: destination, body: ByteBuffer(bytes: body), queue: queue, timeout: timeout)
    }
}
