import NIOPosix
import Notifications
import Synchronization
import Testing

@Suite("HTTP transport over TLS")
struct HTTPTransportTLSTests {
    private func makeTransport(verifies: Bool, reuses: Bool = true) -> HTTPTransport {
        HTTPTransport(
            group: MultiThreadedEventLoopGroup.singleton, reusesConnections: reuses, verifiesCertificates: verifies,
            maximumMessageSize: 8 << 20, logger: quietLogger)
    }

    @Test("a self-signed certificate fails verification with curl's text and nothing is sent")
    func verificationFails() async throws {
        let server = try await RecordingHTTPServer(tls: await SelfSignedCertificate.makeServerContext())
        let transport = makeTransport(verifies: true)
        let outcome = await transport.deliver(httpNotification(server.url("/", scheme: "https")), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "SSL peer certificate or SSH remote key was not OK"))
        #expect(server.requests.isEmpty)
        await transport.shutdown()
        await server.close()
    }

    @Test("without verification the notification is delivered over TLS, and the connection reused")
    func withoutVerification() async throws {
        let server = try await RecordingHTTPServer(tls: await SelfSignedCertificate.makeServerContext())
        let transport = makeTransport(verifies: false)
        for _ in 1...2 {
            let outcome = await transport.deliver(
                httpNotification(server.url("/secure?x=1", scheme: "https"), body: "{}"), timeout: .seconds(5))
            #expect(outcome == .delivered(statusCode: 200))
        }
        #expect(server.requests.map(\.uri) == ["/secure?x=1", "/secure?x=1"])
        #expect(server.requests.first?.headers.first == .init("Host", "127.0.0.1:\(server.port)"))
        #expect(server.connectionCount == 1)
        await transport.shutdown()
        await server.close()
    }

    @Test("the TLS server name is the URL's host name, and none for an IP address")
    func serverNameIndication() async throws {
        let names = Mutex<[String?]>([])
        let server = try await RecordingHTTPServer(
            tls: await SelfSignedCertificate.makeServerContext { name in names.withLock { $0.append(name) } })
        let transport = makeTransport(verifies: false, reuses: false)
        let byName = await transport.deliver(
            httpNotification("https://localhost:\(server.port)/by-name"), timeout: .seconds(5))
        let byAddress = await transport.deliver(
            httpNotification("https://127.0.0.1:\(server.port)/by-address"), timeout: .seconds(5))
        #expect(byName == .delivered(statusCode: 200))
        #expect(byAddress == .delivered(statusCode: 200))
        #expect(names.withLock { $0 } == ["localhost", nil])
        #expect(
            server.requests.map(\.headers.first) == [
                .init("Host", "localhost:\(server.port)"), .init("Host", "127.0.0.1:\(server.port)"),
            ])
        await server.close()
    }

    @Test("a peer that answers the TLS handshake with plain HTTP fails with SSL connect error")
    func notTLS() async throws {
        let server = try await SilentTCPServer(greeting: "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        let transport = makeTransport(verifies: false, reuses: false)
        let outcome = await transport.deliver(
            httpNotification("https://127.0.0.1:\(server.port)/"), timeout: .seconds(5))
        #expect(outcome == .failed(reason: "SSL connect error"))
        await server.close()
    }

    @Test("a TLS handshake that gets no answer times out within the timeout")
    func handshakeTimeout() async throws {
        let server = try await SilentTCPServer()
        let transport = makeTransport(verifies: false, reuses: false)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await transport.deliver(
            httpNotification("https://127.0.0.1:\(server.port)/"), timeout: .milliseconds(300))
        let elapsed = clock.now - start
        #expect(outcome == .failed(reason: "Timeout was reached"))
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(2))
        await server.close()
    }
}
