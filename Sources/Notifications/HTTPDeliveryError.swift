import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an HTTP notification did not reach its receiver.
///
/// `message` is the reason reported in ``DeliveryOutcome/failed(reason:)``: for the failures libcurl names, its
/// `curl_easy_strerror` text, since Orion renders that text in a subscription's `lastFailureReason`.
struct HTTPDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    struct Code: Hashable, Sendable {
        private enum Kind: Hashable, Sendable {
            case malformedURL, unsupportedProtocol, invalidRequest, requestTooLarge, couldNotResolveHost
            case couldNotConnect, timedOut, tlsHandshakeFailed, peerCertificateRejected, emptyReply, sendFailed
            case receiveFailed, partialBody, malformedResponse, shutDown, other
        }
        private let kind: Kind

        /// The URL does not parse (CURLE_URL_MALFORMAT).
        static let malformedURL = Code(kind: .malformedURL)
        /// The scheme is neither `http` nor `https` (CURLE_UNSUPPORTED_PROTOCOL).
        static let unsupportedProtocol = Code(kind: .unsupportedProtocol)
        /// The method or a header would not make a well-formed request.
        static let invalidRequest = Code(kind: .invalidRequest)
        /// The request is larger than the transport's maximum message size; it was not sent.
        static let requestTooLarge = Code(kind: .requestTooLarge)
        /// The host name does not resolve (CURLE_COULDNT_RESOLVE_HOST).
        static let couldNotResolveHost = Code(kind: .couldNotResolveHost)
        /// No connection could be made (CURLE_COULDNT_CONNECT).
        static let couldNotConnect = Code(kind: .couldNotConnect)
        /// The exchange did not complete within its timeout (CURLE_OPERATION_TIMEDOUT).
        static let timedOut = Code(kind: .timedOut)
        /// The TLS handshake failed (CURLE_SSL_CONNECT_ERROR).
        static let tlsHandshakeFailed = Code(kind: .tlsHandshakeFailed)
        /// The peer's certificate did not verify (CURLE_PEER_FAILED_VERIFICATION).
        static let peerCertificateRejected = Code(kind: .peerCertificateRejected)
        /// The connection closed before any response (CURLE_GOT_NOTHING).
        static let emptyReply = Code(kind: .emptyReply)
        /// The request could not be written (CURLE_SEND_ERROR).
        static let sendFailed = Code(kind: .sendFailed)
        /// The connection failed while the response was read (CURLE_RECV_ERROR).
        static let receiveFailed = Code(kind: .receiveFailed)
        /// The connection closed before the end of the response body (CURLE_PARTIAL_FILE).
        static let partialBody = Code(kind: .partialBody)
        /// The response is not HTTP/1.x (CURLE_WEIRD_SERVER_REPLY).
        static let malformedResponse = Code(kind: .malformedResponse)
        /// The transport was shut down.
        static let shutDown = Code(kind: .shutDown)
        /// Anything else.
        static let other = Code(kind: .other)
    }

    let code: Code
    /// The reason, as rendered in `lastFailureReason`.
    let message: String
    let cause: (any Error & Sendable)?
    let file: String
    let line: Int

    init(
        _ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.file = file
        self.line = line
    }

    var description: String { message }

    static func == (lhs: HTTPDeliveryError, rhs: HTTPDeliveryError) -> Bool { lhs.code == rhs.code }

    /// Whether the same request may be sent again on a fresh connection: a reused idle connection that the
    /// server had closed fails this way before any response byte, and curl retries it once too.
    var isRetryableOnFreshConnection: Bool { code == .emptyReply || code == .sendFailed }
}

// MARK: - The reasons

extension HTTPDeliveryError {
    static let malformedURLText = "URL using bad/illegal format or missing URL"

    static func malformedURL(file: String = #fileID, line: Int = #line) -> HTTPDeliveryError {
        HTTPDeliveryError(.malformedURL, malformedURLText, file: file, line: line)
    }

    static func unsupportedProtocol() -> HTTPDeliveryError {
        HTTPDeliveryError(.unsupportedProtocol, "Unsupported protocol")
    }

    static func invalidRequest(_ what: String) -> HTTPDeliveryError {
        HTTPDeliveryError(.invalidRequest, "Invalid HTTP request: \(what)")
    }

    static func requestTooLarge(byteCount: Int) -> HTTPDeliveryError {
        HTTPDeliveryError(.requestTooLarge, "HTTP request to send is too large: \(byteCount) bytes")
    }

    static func couldNotResolveHost(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.couldNotResolveHost, "Couldn't resolve host name", cause: cause)
    }

    static func couldNotConnect(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.couldNotConnect, "Couldn't connect to server", cause: cause)
    }

    static func timedOut() -> HTTPDeliveryError {
        HTTPDeliveryError(.timedOut, "Timeout was reached")
    }

    static func tlsHandshakeFailed(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.tlsHandshakeFailed, "SSL connect error", cause: cause)
    }

    static func peerCertificateRejected(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.peerCertificateRejected, "SSL peer certificate or SSH remote key was not OK", cause: cause)
    }

    static func emptyReply(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.emptyReply, "Server returned nothing (no headers, no data)", cause: cause)
    }

    static func sendFailed(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.sendFailed, "Failed sending data to the peer", cause: cause)
    }

    static func receiveFailed(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.receiveFailed, "Failure when receiving data from the peer", cause: cause)
    }

    static func partialBody(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.partialBody, "Transferred a partial file", cause: cause)
    }

    static func malformedResponse(cause: (any Error & Sendable)? = nil) -> HTTPDeliveryError {
        HTTPDeliveryError(.malformedResponse, "Weird server reply", cause: cause)
    }

    static func shutDown() -> HTTPDeliveryError {
        HTTPDeliveryError(.shutDown, "HTTP transport is shut down")
    }
}

// MARK: - Mapping network errors

extension HTTPDeliveryError {
    /// The reason for an error met while connecting (name resolution, TCP connect, connect timeout).
    init(connecting error: any Error) {
        if let known = error as? HTTPDeliveryError {
            self = known
            return
        }
        switch error {
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                self = .couldNotResolveHost(cause: error)
            } else if error.connectionErrors.contains(where: { Self.isConnectTimeout($0.error) }) {
                self = .timedOut()
            } else if error.connectionErrors.isEmpty {
                self = .couldNotResolveHost(cause: error)
            } else {
                self = .couldNotConnect(cause: error)
            }
        case let error as ChannelError where Self.isConnectTimeout(error):
            self = .timedOut()
        case let error as SocketAddressError.UnknownHost:
            self = .couldNotResolveHost(cause: error)
        case let error as SocketAddressError:
            self = .couldNotResolveHost(cause: error)
        default:
            self = .couldNotConnect(cause: error)
        }
    }

    /// The reason for an error met during the TLS handshake: a certificate that does not verify, or any other
    /// failure of the handshake.
    init(handshaking error: any Error) {
        switch error {
        case let error as NIOSSLError:
            if case .handshakeFailed(let inner) = error, "\(inner)".contains("CERTIFICATE_VERIFY_FAILED") {
                self = .peerCertificateRejected(cause: error)
            } else {
                self = .tlsHandshakeFailed(cause: error)
            }
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            self = .peerCertificateRejected(cause: error)
        default:
            self = .tlsHandshakeFailed(cause: error)
        }
    }

    /// The reason for an error met once connected: while the TLS handshake, the request or the response runs.
    ///
    /// - Parameter responseStarted: whether the response head was read, which tells a failed receive or a
    ///   truncated body from a request that got no answer.
    init(exchanging error: any Error, responseStarted: Bool) {
        if let known = error as? HTTPDeliveryError {
            self = known
            return
        }
        switch error {
        case let error as NIOSSLError:
            if case .handshakeFailed(let inner) = error, "\(inner)".contains("CERTIFICATE_VERIFY_FAILED") {
                self = .peerCertificateRejected(cause: error)
            } else if case .uncleanShutdown = error {
                self = responseStarted ? .partialBody(cause: error) : .emptyReply(cause: error)
            } else {
                self = .tlsHandshakeFailed(cause: error)
            }
        case let error as NIOSSLExtraError:
            self =
                error == .failedToValidateHostname
                ? .peerCertificateRejected(cause: error) : .tlsHandshakeFailed(cause: error)
        case let error as HTTPParserError:
            self = responseStarted ? .partialBody(cause: error) : .malformedResponse(cause: error)
        case let error as IOError:
            if responseStarted {
                self = .receiveFailed(cause: error)
            } else if error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
                self = .sendFailed(cause: error)
            } else {
                self = .receiveFailed(cause: error)
            }
        case let error as ChannelError:
            switch error {
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed:
                self = responseStarted ? .partialBody(cause: error) : .emptyReply(cause: error)
            default:
                self = responseStarted ? .receiveFailed(cause: error) : .sendFailed(cause: error)
            }
        default:
            self = HTTPDeliveryError(.other, "HTTP exchange failed: \(type(of: error))")
        }
    }

    private static func isConnectTimeout(_ error: any Error) -> Bool {
        if case .connectTimeout = error as? ChannelError { return true }
        return false
    }
}
