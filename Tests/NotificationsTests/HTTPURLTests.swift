import Testing

@testable import Notifications

@Suite("HTTP URL")
struct HTTPURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var scheme: HTTPPeer.Scheme
        var host: String
        var port: Int
        var hostHeader: String
        var isIPAddress: Bool
        var requestTarget: String

        var testDescription: String { url }
    }

    static let valid: [Case] = [
        Case(
            url: "http://example.org", scheme: .http, host: "example.org", port: 80, hostHeader: "example.org",
            isIPAddress: false, requestTarget: "/"),
        Case(
            url: "https://example.org/", scheme: .https, host: "example.org", port: 443, hostHeader: "example.org",
            isIPAddress: false, requestTarget: "/"),
        Case(
            url: "http://example.org:80/a", scheme: .http, host: "example.org", port: 80,
            hostHeader: "example.org", isIPAddress: false, requestTarget: "/a"),
        Case(
            url: "https://example.org:443/a", scheme: .https, host: "example.org", port: 443,
            hostHeader: "example.org", isIPAddress: false, requestTarget: "/a"),
        Case(
            url: "https://example.org:80/a", scheme: .https, host: "example.org", port: 80,
            hostHeader: "example.org:80", isIPAddress: false, requestTarget: "/a"),
        Case(
            url: "http://localhost:1028/accumulate?x=1&y=%20z", scheme: .http, host: "localhost", port: 1028,
            hostHeader: "localhost:1028", isIPAddress: false, requestTarget: "/accumulate?x=1&y=%20z"),
        Case(
            url: "HTTP://Example.ORG:8080?q=1", scheme: .http, host: "Example.ORG", port: 8080,
            hostHeader: "Example.ORG:8080", isIPAddress: false, requestTarget: "/?q=1"),
        Case(
            url: "http://127.0.0.1:9997/notify", scheme: .http, host: "127.0.0.1", port: 9997,
            hostHeader: "127.0.0.1:9997", isIPAddress: true, requestTarget: "/notify"),
        Case(
            url: "http://10.0.0.256/", scheme: .http, host: "10.0.0.256", port: 80, hostHeader: "10.0.0.256",
            isIPAddress: false, requestTarget: "/"),
        Case(
            url: "http://[::1]:8080/x?y", scheme: .http, host: "::1", port: 8080, hostHeader: "[::1]:8080",
            isIPAddress: true, requestTarget: "/x?y"),
        Case(
            url: "https://[2001:db8::7]/", scheme: .https, host: "2001:db8::7", port: 443,
            hostHeader: "[2001:db8::7]", isIPAddress: true, requestTarget: "/"),
        Case(
            url: "http://[::ffff:192.0.2.1]", scheme: .http, host: "::ffff:192.0.2.1", port: 80,
            hostHeader: "[::ffff:192.0.2.1]", isIPAddress: true, requestTarget: "/"),
        Case(
            url: "http://example.org:/p#fragment", scheme: .http, host: "example.org", port: 80,
            hostHeader: "example.org", isIPAddress: false, requestTarget: "/p"),
    ]

    @Test("a URL is taken apart into peer, Host header and request target", arguments: valid)
    func parses(_ expected: Case) throws {
        let url = try HTTPURL(parsing: expected.url)
        #expect(url.peer == HTTPPeer(scheme: expected.scheme, host: expected.host, port: expected.port))
        #expect(url.hostHeader == expected.hostHeader)
        #expect(url.hostIsIPAddress == expected.isIPAddress)
        #expect(url.requestTarget == expected.requestTarget)
    }

    @Test(
        "a URL that does not parse is malformed",
        arguments: [
            "", "example.org/x", "http:/example.org", "http://", "http:///x", "http://user@example.org/",
            "http://exa mple.org/", "http://example.org:0/", "http://example.org:65536/", "http://example.org:12a/",
            "http://example.org:123456/", "http://[::1/", "http://[::1]x/", "http://[zz::1]/", "http://[]/",
            "http://example.org/a b", "http://example.org/a\r\nX: y",
        ])
    func malformed(_ url: String) {
        #expect(throws: HTTPDeliveryError.malformedURL()) { try HTTPURL(parsing: url) }
    }

    @Test("another scheme is an unsupported protocol", arguments: ["ftp://example.org/", "mqtt://host:1883"])
    func unsupported(_ url: String) {
        #expect(throws: HTTPDeliveryError.unsupportedProtocol()) { try HTTPURL(parsing: url) }
    }

    @Test("the reasons are curl's texts")
    func reasons() {
        #expect(HTTPDeliveryError.malformedURL().message == "URL using bad/illegal format or missing URL")
        #expect(HTTPDeliveryError.unsupportedProtocol().message == "Unsupported protocol")
    }
}
