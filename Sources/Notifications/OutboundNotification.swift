package import NIOCore

/// One notification ready to send: where it goes, its body, and the queue it waits in.
///
/// The module knows nothing of what the body means: the broker (or any other face) renders it, and reads the
/// ``DeliveryOutcome`` back to keep its own counters.
package struct OutboundNotification: Sendable {
    /// Where the notification goes.
    package var destination: Destination
    /// The body, sent as it is.
    package var body: ByteBuffer
    /// The name of the reserved queue to use (a `threadpool` service queue, ``DeliverySettings/Queue``); a name
    /// without a queue of its own, or the empty string, uses the default queue.
    package var queue: String
    /// How long the whole exchange may take (connect, send, response); `nil` uses the settings' timeout of the
    /// destination's protocol.
    package var timeout: Duration?

    /// The protocol and address of a notification.
    package enum Destination: Sendable, Equatable {
        case http(HTTPTarget)
        case mqtt(MQTTTarget)
    }

    package init(destination: Destination, body: ByteBuffer, queue: String = "", timeout: Duration? = nil) {
        self.destination = destination
        self.body = body
        self.queue = queue
        self.timeout = timeout
    }
}

/// An HTTP or HTTPS request: `url` with its query string already built, the method, and every header to send
/// besides `Host`, `Content-Length` and `Connection`, which the sender sets.
package struct HTTPTarget: Sendable, Equatable {
    /// `http://` or `https://`, host, optional port, path and query.
    package var url: String
    /// The request method, e.g. `POST`.
    package var method: String
    /// The headers, in sending order.
    package var headers: [Header]

    /// One request header.
    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(url: String, method: String = "POST", headers: [Header] = []) {
        self.url = url
        self.method = method
        self.headers = headers
    }
}

/// An MQTT 3.1.1 PUBLISH: the broker's address, the topic, and the publication's flags and credentials.
package struct MQTTTarget: Sendable, Equatable {
    /// The broker's host name or address.
    package var host: String
    /// The broker's port.
    package var port: Int
    /// The topic published to.
    package var topic: String
    /// The quality of service, 0 to 2.
    package var qos: Int
    /// The RETAIN flag.
    package var retain: Bool
    /// The user name of CONNECT, if any.
    package var user: String?
    /// The password of CONNECT, if any (only with a user).
    package var password: String?

    package init(
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
