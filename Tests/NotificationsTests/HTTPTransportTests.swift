import NIOCore
import NIOPosix
import Testing

@testable import Notifications

@Suite("HTTP transport")
struct HTTPTransportTests {
    private func makeTransport(reuses: Bool, maximumMessageSize: Int = 8 << 20) -> HTTPTransport {
        HTTPTransport(
            group: MultiThreadedEventLoopGroup.singleton, reusesConnections: reuses, verifiesCertificates: true,
            maximumMessageSize: maximumMessageSize, logger: quietLogger)
    }

    @Test("a request carries Host with the port, the target's headers in order, Content-Length and Connection: close")
    func requestHeadWithoutReuse() async throws {
        let server = try await RecordingHTTPServer()
        let transport = makeTransport(reuses: false)
        let outcome = await transport.deliver(
            httpNotification(
                server.url("/notify?a=1&b=x"),
                headers: [
                    .init("Content-Type", "application/json; charset=utf-8"), .init("Fiware-Service", "tenant1"),
                    .init("X-Custom", "two words"),
                ], body: #"{"id":"E1"}"#),
            timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: 200))
        let requests = server.requests
        #expect(requests.count == 1)
        #expect(requests.first?.method == "POST")
        #expect(requests.first?.uri == "/notify?a=1&b=x")
        #expect(requests.first?.version == "HTTP/1.1")
        #expect(
            requests.first?.headers == [
                .init("Host", "127.0.0.1:\(server.port)"), .init("Content-Type", "application/json; charset=utf-8"),
                .init("Fiware-Service", "tenant1"), .init("X-Custom", "two words"), .init("Content-Length", "11"),
                .init("Connection", "close"),
            ])
        #expect(requests.first?.body == #"{"id":"E1"}"#)
        await transport.shutdown()
        await server.close()
    }

    @Test("with reuse: no Connection header; Content-Length for a body and for POST, PUT, PATCH even when empty")
    func contentLengthRules() async throws {
        let server = try await RecordingHTTPServer()
        let transport = makeTransport(reuses: true)
        let cases: [(method: String, body: String, expected: [RecordedRequest.Field])] = [
            ("GET", "", []),
            ("DELETE", "", []),
            ("POST", "", [.init("Content-Length", "0")]),
            ("PUT", "", [.init("Content-Length", "0")]),
            ("PATCH", "", [.init("Content-Length", "0")]),
            ("DELETE", "abc", [.init("Content-Length", "3")]),
            ("PUT", "abcd", [.init("Content-Length", "4")]),
        ]
        for (method, body, _) in cases {
            let outcome = await transport.deliver(
                httpNotification(server.url("/p"), method: method, body: body), timeout: .seconds(5))
            #expect(outcome == .delivered(statusCode: 200))
        }
        let requests = server.requests
        #expect(requests.count == cases.count)
        for (request, expected) in zip(requests, cases) {
            #expect(request.method == expected.method)
            #expect(request.headers == [.init("Host", "127.0.0.1:\(server.port)")] + expected.expected)
            #expect(request.body == expected.body)
        }
        #expect(server.connectionCount == 1)
        await transport.shutdown()
        await server.close()
    }

    @Test("without reuse, N notifications take N connections")
    func transientConnections() async throws {
        let server = try await RecordingHTTPServer()
        let transport = makeTransport(reuses: false)
        for index in 1...5 {
            let outcome = await transport.deliver(httpNotification(server.url("/\(index)")), timeout: .seconds(5))
            #expect(outcome == .delivered(statusCode: 200))
        }
        #expect(server.connectionCount == 5)
        #expect(server.requests.map(\.connection) == [1, 2, 3, 4, 5])
        #expect(server.requests.map(\.indexOnConnection) == [1, 1, 1, 1, 1])
        await server.close()
    }

    @Test("with reuse, N sequential notifications take one connection")
    func persistentConnection() async throws {
        let server = try await RecordingHTTPServer()
        let transport = makeTransport(reuses: true)
        for index in 1...5 {
            let outcome = await transport.deliver(httpNotification(server.url("/\(index)")), timeout: .seconds(5))
            #expect(outcome == .delivered(statusCode: 200))
        }
        #expect(server.connectionCount == 1)
        #expect(server.requests.map(\.uri) == ["/1", "/2", "/3", "/4", "/5"])
        #expect(server.requests.map(\.indexOnConnection) == [1, 2, 3, 4, 5])
        await transport.shutdown()
        await server.close()
    }

    @Test(
        "a response of any status is delivered with that status", arguments: [200, 201, 204, 301, 400, 404, 500, 503])
    func anyStatusIsDelivered(status: Int) async throws {
        let server = try await RecordingHTTPServer { _ in .status(status, body: "answer") }
        let transport = makeTransport(reuses: true)
        let outcome = await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: status))
        await transport.shutdown()
        await server.close()
    }

    @Test("a refused connection fails with curl's text")
    func connectionRefused() async throws {
        let port = try await closedPort()
        let transport = makeTransport(reuses: false)
        let outcome = await transport.deliver(httpNotification("http://127.0.0.1:\(port)/"), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "Couldn't connect to server"))
    }

    @Test("a server that never answers times out within the timeout and a small slack")
    func timeout() async throws {
        let server = try await RecordingHTTPServer { _ in .noAnswer }
        let transport = makeTransport(reuses: true)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await transport.deliver(httpNotification(server.url()), timeout: .milliseconds(300))
        let elapsed = clock.now - start
        #expect(outcome == .failed(reason: "Timeout was reached"))
        #expect(elapsed >= .milliseconds(300))
        // Without the timeout the exchange would never end; the bound leaves room for a loaded machine.
        #expect(elapsed < .seconds(5))
        await transport.shutdown()
        await server.close()
    }

    @Test("a request larger than the maximum message size fails before any connection")
    func sizeLimit() async throws {
        let server = try await RecordingHTTPServer()
        let transport = makeTransport(reuses: false, maximumMessageSize: 100)
        let body = String(repeating: "x", count: 60)
        // "POST / HTTP/1.1\r\n" 17, "Host: 127.0.0.1:PORT\r\n", "Content-Length: 60\r\n" 20,
        // "Connection: close\r\n" 19, "\r\n" 2, then the body.
        let host = "Host: 127.0.0.1:\(server.port)\r\n".utf8.count
        let expected = 17 + host + 20 + 19 + 2 + 60
        let outcome = await transport.deliver(httpNotification(server.url(), body: body), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "HTTP request to send is too large: \(expected) bytes"))
        let fitting = await transport.deliver(httpNotification(server.url(), body: "x"), timeout: .seconds(5))
        #expect(fitting == .delivered(statusCode: 200))
        #expect(server.connectionCount == 1)
        #expect(server.requests.map(\.body) == ["x"])
        await server.close()
    }

    @Test("a kept connection that the server closed before answering is retried once on a fresh one")
    func deadPooledConnectionIsRetried() async throws {
        let server = try await RecordingHTTPServer { request in
            request.connection == 1 && request.indexOnConnection == 2 ? .closeWithoutAnswer : .status(200)
        }
        let transport = makeTransport(reuses: true)
        let first = await transport.deliver(httpNotification(server.url("/first")), timeout: .seconds(5))
        let second = await transport.deliver(httpNotification(server.url("/second")), timeout: .seconds(5))
        #expect(first == .delivered(statusCode: 200))
        #expect(second == .delivered(statusCode: 200))
        #expect(server.requests.map(\.uri) == ["/first", "/second", "/second"])
        #expect(server.requests.map(\.connection) == [1, 1, 2])
        await transport.shutdown()
        await server.close()
    }

    @Test("a fresh connection closed before any answer fails and is not retried")
    func emptyReplyOnFreshConnection() async throws {
        let server = try await RecordingHTTPServer { _ in .closeWithoutAnswer }
        let transport = makeTransport(reuses: true)
        let outcome = await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "Server returned nothing (no headers, no data)"))
        #expect(server.requests.count == 1)
        await transport.shutdown()
        await server.close()
    }

    @Test("a response with Connection: close is not reused")
    func connectionCloseResponse() async throws {
        let server = try await RecordingHTTPServer { _ in .status(204, closes: true) }
        let transport = makeTransport(reuses: true)
        for _ in 1...3 {
            #expect(
                await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
                    == .delivered(statusCode: 204))
        }
        #expect(server.connectionCount == 3)
        await transport.shutdown()
        await server.close()
    }

    @Test("an HTTP/1.0 response without keep-alive is not reused")
    func http10Response() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", thenCloses: false)
        }
        let transport = makeTransport(reuses: true)
        for _ in 1...2 {
            #expect(
                await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
                    == .delivered(statusCode: 200))
        }
        #expect(server.connectionCount == 2)
        await transport.shutdown()
        await server.close()
    }

    @Test("an HTTP/1.0 response with Connection: keep-alive is reused")
    func http10KeepAlive() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", thenCloses: false)
        }
        let transport = makeTransport(reuses: true)
        for _ in 1...2 {
            let outcome = await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
            #expect(outcome == .delivered(statusCode: 200))
        }
        #expect(server.connectionCount == 1)
        await transport.shutdown()
        await server.close()
    }

    @Test("an informational response is skipped; the final status is delivered")
    func informationalResponse() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 207 Multi-Status\r\nContent-Length: 0\r\n\r\n", thenCloses: false
            )
        }
        let transport = makeTransport(reuses: true)
        let outcome = await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
        #expect(outcome == .delivered(statusCode: 207))
        await transport.shutdown()
        await server.close()
    }

    @Test("a response to HEAD has no body whatever its Content-Length, and the connection is reused")
    func headResponse() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", thenCloses: false)
        }
        let transport = makeTransport(reuses: true)
        for _ in 1...2 {
            let outcome = await transport.deliver(
                httpNotification(server.url(), method: "HEAD"), timeout: .seconds(5))
            #expect(outcome == .delivered(statusCode: 200))
        }
        #expect(server.connectionCount == 1)
        #expect(server.requests.map(\.method) == ["HEAD", "HEAD"])
        await transport.shutdown()
        await server.close()
    }

    @Test("a chunked response body is read and the connection reused")
    func chunkedResponse() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw(
                "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                thenCloses: false)
        }
        let transport = makeTransport(reuses: true)
        for _ in 1...3 {
            #expect(
                await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
                    == .delivered(statusCode: 202))
        }
        #expect(server.connectionCount == 1)
        await transport.shutdown()
        await server.close()
    }

    @Test("a body delimited by the close of the connection is read to the end")
    func closeDelimitedResponse() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw("HTTP/1.1 201 Created\r\n\r\nsome body", thenCloses: true)
        }
        let transport = makeTransport(reuses: true)
        for _ in 1...2 {
            #expect(
                await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
                    == .delivered(statusCode: 201))
        }
        #expect(server.connectionCount == 2)
        await transport.shutdown()
        await server.close()
    }

    @Test("a body cut short by the close of the connection fails")
    func truncatedResponse() async throws {
        let server = try await RecordingHTTPServer { _ in
            .raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", thenCloses: true)
        }
        let transport = makeTransport(reuses: true)
        let outcome = await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "Transferred a partial file"))
        await transport.shutdown()
        await server.close()
    }

    @Test("a response body above 1 MiB is delivered and its connection closed")
    func largeResponseBody() async throws {
        let large = String(repeating: "y", count: 2 << 20)
        let server = try await RecordingHTTPServer { _ in .status(200, body: large) }
        let transport = makeTransport(reuses: true)
        for _ in 1...2 {
            #expect(
                await transport.deliver(httpNotification(server.url()), timeout: .seconds(10))
                    == .delivered(statusCode: 200))
        }
        #expect(server.connectionCount == 2)
        await transport.shutdown()
        await server.close()
    }

    @Test("a malformed response fails with curl's text, and the transport goes on")
    func malformedResponse() async throws {
        let server = try await RecordingHTTPServer { request in
            request.uri == "/bad" ? .raw("NOT HTTP AT ALL\r\n\r\n", thenCloses: false) : .status(200)
        }
        let transport = makeTransport(reuses: true)
        let bad = await transport.deliver(httpNotification(server.url("/bad")), timeout: .seconds(5))
        #expect(bad == .failed(reason: "Weird server reply"))
        let good = await transport.deliver(httpNotification(server.url("/good")), timeout: .seconds(5))
        #expect(good == .delivered(statusCode: 200))
        await transport.shutdown()
        await server.close()
    }

    @Test("URLs that do not parse fail with curl's texts")
    func badURLs() async {
        let transport = makeTransport(reuses: false)
        #expect(
            await transport.deliver(httpNotification("not a url"), timeout: .seconds(1))
                == .failed(reason: "URL using bad/illegal format or missing URL"))
        #expect(
            await transport.deliver(httpNotification("ftp://127.0.0.1/x"), timeout: .seconds(1))
                == .failed(reason: "Unsupported protocol"))
        #expect(
            await transport.deliver(httpNotification("http://127.0.0.1:99999/"), timeout: .seconds(1))
                == .failed(reason: "URL using bad/illegal format or missing URL"))
    }

    @Test("after shutdown, idle connections are closed and deliveries fail")
    func shutdown() async throws {
        let server = try await RecordingHTTPServer()
        let transport = makeTransport(reuses: true)
        #expect(
            await transport.deliver(httpNotification(server.url()), timeout: .seconds(5)) == .delivered(statusCode: 200)
        )
        #expect(server.closedConnectionCount == 0)
        await transport.shutdown()
        let deadline = ContinuousClock.now + .seconds(5)
        while server.closedConnectionCount < 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(server.closedConnectionCount == 1)
        #expect(
            await transport.deliver(httpNotification(server.url()), timeout: .seconds(5))
                == .failed(reason: "HTTP transport is shut down"))
        #expect(server.requests.count == 1)
        await server.close()
    }
}
