import NIOCore
import NIOHTTP1
import Testing

@testable import Notifications

@Suite("HTTP exchange state machine")
struct HTTPExchangeStateMachineTests {
    private typealias Action = HTTPExchangeStateMachine.Action

    private func response(_ status: Int, reusable: Bool) -> HTTPExchangeStateMachine.Result {
        .success(HTTPExchangeResponse(statusCode: status, isReusable: reusable))
    }

    @Test("a kept-alive response completes the exchange and leaves the connection ready for the next")
    func keepAlive() {
        var machine = HTTPExchangeStateMachine(establishing: false)
        #expect(machine.requestWritten() == nil)
        #expect(machine.receivedHead(statusCode: 204, keepsAlive: true) == .none)
        #expect(machine.receivedBody(byteCount: 10) == .none)
        #expect(machine.receivedEnd() == .complete(response(204, reusable: true), closeConnection: false))
        #expect(machine.requestWritten() == nil)
        #expect(machine.receivedHead(statusCode: 500, keepsAlive: false) == .none)
        #expect(machine.receivedEnd() == .complete(response(500, reusable: false), closeConnection: true))
        #expect(machine.requestWritten() == .emptyReply())
    }

    @Test("a body above 1 MiB completes the exchange as answered and closes the connection")
    func bodyLimit() {
        var machine = HTTPExchangeStateMachine(establishing: false)
        _ = machine.requestWritten()
        _ = machine.receivedHead(statusCode: 200, keepsAlive: true)
        #expect(machine.receivedBody(byteCount: 1 << 19) == .none)
        #expect(machine.receivedBody(byteCount: 1 << 19) == .none)
        #expect(machine.receivedBody(byteCount: 1) == .complete(response(200, reusable: false), closeConnection: true))
        #expect(machine.receivedEnd() == .none)
    }

    @Test("a close before the head is an empty reply; during the body, a partial body")
    func closes() {
        var beforeHead = HTTPExchangeStateMachine(establishing: false)
        _ = beforeHead.requestWritten()
        #expect(beforeHead.connectionClosed() == .complete(.failure(.emptyReply()), closeConnection: false))
        #expect(HTTPDeliveryError.emptyReply().isRetryableOnFreshConnection)

        var duringBody = HTTPExchangeStateMachine(establishing: false)
        _ = duringBody.requestWritten()
        _ = duringBody.receivedHead(statusCode: 200, keepsAlive: true)
        #expect(duringBody.connectionClosed() == .complete(.failure(.partialBody()), closeConnection: false))
        #expect(!HTTPDeliveryError.partialBody().isRetryableOnFreshConnection)

        var idle = HTTPExchangeStateMachine(establishing: false)
        #expect(idle.connectionClosed() == .none)
    }

    @Test("response bytes while no request waits close the connection")
    func unsolicited() {
        var machine = HTTPExchangeStateMachine(establishing: false)
        #expect(machine.receivedHead(statusCode: 200, keepsAlive: true) == .closeConnection)
        #expect(machine.requestWritten() == .emptyReply())
    }

    @Test("the deadline fails a running exchange and closes; it does nothing to an idle connection")
    func deadline() {
        var machine = HTTPExchangeStateMachine(establishing: false)
        #expect(machine.timedOut() == .none)
        _ = machine.requestWritten()
        #expect(machine.timedOut() == .complete(.failure(.timedOut()), closeConnection: true))
    }

    @Test("a TLS connection is ready after its handshake; a close, error or deadline before it fails it")
    func establishment() {
        var ready = HTTPExchangeStateMachine(establishing: true)
        #expect(ready.requestWritten() == HTTPDeliveryError(.other, "HTTP connection is busy"))
        #expect(ready.handshakeCompleted() == .established)
        #expect(ready.requestWritten() == nil)

        var closed = HTTPExchangeStateMachine(establishing: true)
        #expect(closed.connectionClosed() == .establishmentFailed(.tlsHandshakeFailed()))

        var late = HTTPExchangeStateMachine(establishing: true)
        #expect(late.timedOut() == .establishmentFailed(.timedOut()))

        var failing = HTTPExchangeStateMachine(establishing: true)
        #expect(failing.errorCaught(ChannelError.eof) == .establishmentFailed(.tlsHandshakeFailed()))
    }

    @Test("a decoding error fails the exchange as a weird reply before the head, a partial body after it")
    func decodingErrors() {
        var beforeHead = HTTPExchangeStateMachine(establishing: false)
        _ = beforeHead.requestWritten()
        #expect(
            beforeHead.errorCaught(HTTPParserError.invalidVersion)
                == .complete(.failure(.malformedResponse()), closeConnection: true))

        var afterHead = HTTPExchangeStateMachine(establishing: false)
        _ = afterHead.requestWritten()
        _ = afterHead.receivedHead(statusCode: 200, keepsAlive: true)
        #expect(
            afterHead.errorCaught(HTTPParserError.invalidChunkSize)
                == .complete(.failure(.partialBody()), closeConnection: true))
    }
}
