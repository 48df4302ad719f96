import NIOCore
import NIOHTTP1

/// The HTTP/1.1 request that carries one notification: its head in sending order, its body, and its size on the
/// wire, known before any connection is made.
///
/// Headers go as `Host`, the target's headers in their order, `Content-Length`, then `Connection: close` when the
/// connection is not kept. `Content-Length` is sent for a body, and for `POST`, `PUT` and `PATCH` even when the
/// body is empty (RFC 9110 §8.6: a user agent should send it when the method defines a meaning for content). The
/// target's own `Host`, `Content-Length`, `Connection` and `Transfer-Encoding` headers are dropped: the framing is
/// the sender's.
struct HTTPNotificationRequest: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer
    /// The bytes of the request line, the headers and the body as `HTTPRequestEncoder` writes them.
    let encodedSize: Int

    /// Builds the request of `target` to `url`.
    ///
    /// - Throws: ``HTTPDeliveryError/Code/invalidRequest`` when the method is not an RFC 9110 token, or a header
    ///   name is not a token, or a header value holds a control byte such as CR or LF.
    init(target: HTTPTarget, url: HTTPURL, body: ByteBuffer, closesConnection: Bool) throws(HTTPDeliveryError) {
        guard Self.isToken(target.method) else { throw .invalidRequest("method") }
        var headers = HTTPHeaders()
        headers.reserveCapacity(target.headers.count + 3)
        headers.add(name: "Host", value: url.hostHeader)
        for header in target.headers {
            guard Self.isToken(header.name) else { throw .invalidRequest("header name") }
            guard Self.isFieldValue(header.value) else { throw .invalidRequest("header value") }
            switch header.name.lowercased() {
            case "host", "content-length", "connection", "transfer-encoding": continue
            default: headers.add(name: header.name, value: header.value)
            }
        }
        let bodySize = body.readableBytes
        if bodySize > 0 || Self.definesContent(target.method) {
            headers.add(name: "Content-Length", value: String(bodySize))
        }
        if closesConnection {
            headers.add(name: "Connection", value: "close")
        }

        // "METHOD SP request-target SP HTTP/1.1 CRLF", each "name: value CRLF", then CRLF.
        var size = target.method.utf8.count + 1 + url.requestTarget.utf8.count + 1 + 8 + 2
        for (name, value) in headers {
            size += name.utf8.count + 2 + value.utf8.count + 2
        }
        size += 2 + bodySize

        self.head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: target.method), uri: url.requestTarget, headers: headers)
        self.body = body
        self.encodedSize = size
    }

    /// Whether the method's request content has a meaning, so that an empty body is still announced.
    private static func definesContent(_ method: String) -> Bool {
        switch method {
        case "POST", "PUT", "PATCH": true
        default: false
        }
    }

    /// RFC 9110 §5.6.2 `token`: one or more `tchar`.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    true
                default:
                    "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }

    /// RFC 9110 §5.5 `field-value`: no control byte but horizontal tab.
    private static func isFieldValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }
    }
}
