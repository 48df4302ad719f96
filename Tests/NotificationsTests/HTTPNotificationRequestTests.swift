import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Notifications

@Suite("HTTP notification request")
struct HTTPNotificationRequestTests {
    private func request(
        _ url: String, method: String = "POST", headers: [HTTPTarget.Header] = [], body: String = "",
        closes: Bool = false
    ) throws -> HTTPNotificationRequest {
        try HTTPNotificationRequest(
            target: HTTPTarget(url: url, method: method, headers: headers), url: HTTPURL(parsing: url),
            body: ByteBuffer(string: body), closesConnection: closes)
    }

    private func fields(_ head: HTTPRequestHead) -> [String] { head.headers.map { "\($0.name): \($0.value)" } }

    /// The bytes `HTTPRequestEncoder` writes for the request, without framing headers of its own.
    private func encoded(_ request: HTTPNotificationRequest) throws -> ByteBuffer {
        var configuration = HTTPRequestEncoder.Configuration()
        configuration.automaticallySetFramingHeaders = false
        let channel = EmbeddedChannel(handler: HTTPRequestEncoder(configuration: configuration))
        try channel.writeOutbound(HTTPClientRequestPart.head(request.head))
        try channel.writeOutbound(HTTPClientRequestPart.body(.byteBuffer(request.body)))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        var all = ByteBuffer()
        while let part = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(var bytes) = part else { continue }
            all.writeBuffer(&bytes)
        }
        return all
    }

    @Test("Host without the port when it is the scheme's default, with it otherwise")
    func hostHeader() throws {
        #expect(fields(try request("http://example.org/x", method: "GET").head) == ["Host: example.org"])
        #expect(fields(try request("https://example.org/x", method: "GET").head) == ["Host: example.org"])
        #expect(fields(try request("http://example.org:8080/x", method: "GET").head) == ["Host: example.org:8080"])
        #expect(fields(try request("http://[::1]:1026/x", method: "GET").head) == ["Host: [::1]:1026"])
    }

    @Test(
        "headers go as Host, the target's in order, Content-Length, Connection; the target's framing ones are dropped")
    func headerOrder() throws {
        let built = try request(
            "http://example.org/notify?a=1", method: "PATCH",
            headers: [
                .init("Fiware-Service", "t"), .init("Host", "evil"), .init("content-length", "99"),
                .init("Connection", "keep-alive"), .init("Transfer-Encoding", "chunked"), .init("X-B", "2"),
                .init("X-A", ""),
            ], body: "abc", closes: true)
        #expect(built.head.method == .PATCH)
        #expect(built.head.uri == "/notify?a=1")
        #expect(built.head.version == .http1_1)
        #expect(
            fields(built.head) == [
                "Host: example.org", "Fiware-Service: t", "X-B: 2", "X-A: ", "Content-Length: 3", "Connection: close",
            ])
    }

    @Test(
        "Content-Length for a body, and for POST, PUT and PATCH even when empty",
        arguments: [
            ("GET", "", nil), ("HEAD", "", nil), ("DELETE", "", nil), ("OPTIONS", "", nil), ("POST", "", "0"),
            ("PUT", "", "0"), ("PATCH", "", "0"), ("GET", "x", "1"), ("DELETE", "xy", "2"), ("POST", "xyz", "3"),
            ("TRACE", "x", "1"),
        ] as [(String, String, String?)])
    func contentLength(method: String, body: String, length: String?) throws {
        let built = try request("http://example.org/", method: method, body: body)
        #expect(built.head.headers["Content-Length"] == (length.map { [$0] } ?? []))
    }

    @Test("the encoded size is exactly what the encoder writes", arguments: ["GET", "POST", "CUSTOMVERB"])
    func encodedSize(method: String) throws {
        let built = try request(
            "http://example.org:1234/a/b?c=d", method: method,
            headers: [.init("Content-Type", "application/json"), .init("X-Unicode", "välue")], body: #"{"k":"é"}"#,
            closes: true)
        let bytes = try encoded(built)
        #expect(built.encodedSize == bytes.readableBytes)
        #expect(String(buffer: bytes).hasPrefix("\(method) /a/b?c=d HTTP/1.1\r\nHost: example.org:1234\r\n"))
    }

    @Test("a method or header that would break the request is refused")
    func invalid() {
        #expect(throws: HTTPDeliveryError.invalidRequest("method")) {
            try request("http://example.org/", method: "PO ST")
        }
        #expect(throws: HTTPDeliveryError.invalidRequest("method")) { try request("http://example.org/", method: "") }
        #expect(throws: HTTPDeliveryError.invalidRequest("header name")) {
            try request("http://example.org/", headers: [.init("Bad Name", "v")])
        }
        #expect(throws: HTTPDeliveryError.invalidRequest("header value")) {
            try request("http://example.org/", headers: [.init("X", "a\r\nInjected: yes")])
        }
    }
}
