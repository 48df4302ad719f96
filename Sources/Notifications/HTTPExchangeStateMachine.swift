/// The life of one client connection, one request at a time (RFC 9112 §9.3: no pipelining): establishing (the
/// TLS handshake), idle, waiting for the response head, reading the body, closed.
///
/// Events come in from ``HTTPExchangeHandler``; each returns what the handler must do. The response body is read
/// and discarded, up to ``maximumBodySize``: past it the exchange counts as answered and the connection closes.
struct HTTPExchangeStateMachine {
    /// The most response body bytes read before the connection is closed.
    static let maximumBodySize = 1 << 20

    /// How an exchange ended.
    typealias Result = Swift.Result<HTTPExchangeResponse, HTTPDeliveryError>

    /// What the handler does after an event.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// The connection is ready for requests: completes the establishment.
        case established
        /// The connection could not be made ready: fails the establishment with `error` and closes.
        case establishmentFailed(HTTPDeliveryError)
        /// Completes the exchange with `result`, then closes the connection if `closeConnection`.
        case complete(Result, closeConnection: Bool)
        /// Closes the connection; no exchange is waiting.
        case closeConnection
    }

    private enum State {
        case establishing
        case idle
        case awaitingHead
        case receivingBody(statusCode: Int, keepsAlive: Bool, bodyBytes: Int)
        case closed
    }

    private var state: State

    /// A machine for a connection that is ready at once (plain TCP), or after a TLS handshake
    /// (`establishing: true`).
    init(establishing: Bool) {
        state = establishing ? .establishing : .idle
    }

    /// The TLS handshake completed.
    mutating func handshakeCompleted() -> Action {
        guard case .establishing = state else { return .none }
        state = .idle
        return .established
    }

    /// A request is written.
    ///
    /// - Returns: `nil` when the exchange may start; otherwise the error to complete it with (the connection is
    ///   closed, or, by a programming error, not ready or busy).
    mutating func requestWritten() -> HTTPDeliveryError? {
        switch state {
        case .idle:
            state = .awaitingHead
            return nil
        case .closed:
            return .emptyReply()
        case .establishing, .awaitingHead, .receivingBody:
            return HTTPDeliveryError(.other, "HTTP connection is busy")
        }
    }

    /// The response head is read; `keepsAlive` tells whether the server keeps the connection open after it
    /// (RFC 9112 §9.3: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with `keep-alive`).
    mutating func receivedHead(statusCode: Int, keepsAlive: Bool) -> Action {
        switch state {
        case .awaitingHead:
            state = .receivingBody(statusCode: statusCode, keepsAlive: keepsAlive, bodyBytes: 0)
            return .none
        case .establishing, .idle:
            return unsolicitedResponse()
        case .receivingBody, .closed:
            return .none
        }
    }

    /// A part of the response body is read.
    mutating func receivedBody(byteCount: Int) -> Action {
        switch state {
        case .receivingBody(let statusCode, let keepsAlive, let bodyBytes):
            // Both counts are at most the limit plus one read, far from overflowing.
            let total = bodyBytes + byteCount
            guard total <= Self.maximumBodySize else {
                state = .closed
                let response = HTTPExchangeResponse(statusCode: statusCode, isReusable: false)
                return .complete(.success(response), closeConnection: true)
            }
            state = .receivingBody(statusCode: statusCode, keepsAlive: keepsAlive, bodyBytes: total)
            return .none
        case .establishing, .idle:
            return unsolicitedResponse()
        case .awaitingHead, .closed:
            return .none
        }
    }

    /// The response is complete.
    mutating func receivedEnd() -> Action {
        switch state {
        case .receivingBody(let statusCode, let keepsAlive, _):
            state = keepsAlive ? .idle : .closed
            let response = HTTPExchangeResponse(statusCode: statusCode, isReusable: keepsAlive)
            return .complete(.success(response), closeConnection: !keepsAlive)
        case .establishing, .idle:
            return unsolicitedResponse()
        case .awaitingHead, .closed:
            return .none
        }
    }

    /// The connection closed.
    mutating func connectionClosed() -> Action {
        let previous = state
        state = .closed
        switch previous {
        case .establishing:
            return .establishmentFailed(.tlsHandshakeFailed())
        case .awaitingHead:
            return .complete(.failure(.emptyReply()), closeConnection: false)
        case .receivingBody:
            return .complete(.failure(.partialBody()), closeConnection: false)
        case .idle, .closed:
            return .none
        }
    }

    /// An error was raised on the connection (TLS, decoding, socket); it ends the establishment or the exchange,
    /// if any, and the connection.
    mutating func errorCaught(_ error: any Error) -> Action {
        let previous = state
        state = .closed
        switch previous {
        case .establishing:
            return .establishmentFailed(HTTPDeliveryError(handshaking: error))
        case .awaitingHead:
            let failure = HTTPDeliveryError(exchanging: error, responseStarted: false)
            return .complete(.failure(failure), closeConnection: true)
        case .receivingBody:
            let failure = HTTPDeliveryError(exchanging: error, responseStarted: true)
            return .complete(.failure(failure), closeConnection: true)
        case .idle, .closed:
            return .closeConnection
        }
    }

    /// The deadline of the establishment or of the exchange passed.
    mutating func timedOut() -> Action {
        switch state {
        case .establishing:
            state = .closed
            return .establishmentFailed(.timedOut())
        case .awaitingHead, .receivingBody:
            state = .closed
            return .complete(.failure(.timedOut()), closeConnection: true)
        case .idle, .closed:
            return .none
        }
    }

    /// Response bytes when no request waits: the connection can no longer be trusted.
    private mutating func unsolicitedResponse() -> Action {
        let previous = state
        state = .closed
        if case .establishing = previous { return .establishmentFailed(.malformedResponse()) }
        return .closeConnection
    }
}

/// A response's status and whether its connection may carry another request.
struct HTTPExchangeResponse: Sendable, Equatable {
    let statusCode: Int
    let isReusable: Bool
}
