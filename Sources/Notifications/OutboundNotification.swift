public import NIOCore

/// One notification ready to send: where it goes, its body, and the queue it waits in.
///
/// The module knows nothing of what the body means: the broker (or any other face) renders it, and reads the
/// ``DeliveryOutcome`` back to keep its own counters.
public struct OutboundNotification: Sendable {
    /// Where the notification goes.
    public var destination: Destination
    /// The body, sent as it is.
    public var body: ByteBuffer
    /// The name of the reserved queue to use (a `threadpool` service queue, ``DeliverySettings/Queue``); a name
    /// without a queue of its own, or the empty string, uses the default queue.
    public var queue: String
    /// How long the whole exchange may take (connect, send, response); `nil` uses the settings' timeout of the
    /// destination's protocol.
    public var timeout: Duration?

    /// The protocol and address of a notification.
    public enum Destination: Sendable, Equatable {
        case http(HTTPTarget)
        case mqtt(MQTTTarget)
    }

    public init(destination: Destination, body: ByteBuffer, queue: String = "", timeout: Duration? = nil) {
        self.destination = destination
        self.body = body
        self.queue = queue
        self.timeout = timeout
    }
}

/// An HTTP or HTTPS request: `url` with its query string already built, the method, and every header to send
/// besides `Host`, `Content-Length` and `Connection`, which the sender sets.
public struct HTTPTarget: Sendable, Equatable {
    /// `http://` or `https://`, host, optional port, path and query.
    public var url: String
    /// The request method, e.g. `POST`.
    public var method: String
    /// The headers, in sending order.
    public var headers: [Header]

    /// One request header.
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(url: String, method: String = "POST", headers: [Header] = []) {
        self.url = url
        self.method = method
        self.headers = headers
    }
}

/// An MQTT 3.1.1 PUBLISH: the broker's address, the topic, and the publication's flags and credentials.
public struct MQTTTarget: Sendable, Equatable {
    /// The broker's host name or address.
    public var host: String
    /// The broker's port.
    public var port: Int
    /// The topic published to.
    public var topic: String
    /// The quality of service, 0 to 2.
    public var qos: Int
    /// The RETAIN flag.
    public var retain: Bool
    /// The user name of CONNECT, if any.
    public var user: String?
    /// The password of CONNECT, if any (only with a user).
    public var password: String?

    public init(
        host: String, port: Int, topic: String, qos: Int = 0, retain: Bool = false, user: String? = nil,
        password: String? = nil
    ) {
        self.host = host
        self.port = port
        self.topic = topic
        self.qos = qos
        self.retain = retain
        self.user = user
        self.password = password
    }
}
