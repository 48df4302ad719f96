import NIOCore
import NIOSSL
import Testing

@testable import Notifications

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("HTTP delivery error")
struct HTTPDeliveryErrorTests {
    @Test("each failure has curl's text (curl_easy_strerror), as Orion shows it in lastFailureReason")
    func curlTexts() {
        let texts: [(HTTPDeliveryError, String)] = [
            (.couldNotResolveHost(), "Couldn't resolve host name"),
            (.couldNotConnect(), "Couldn't connect to server"),
            (.timedOut(), "Timeout was reached"),
            (.tlsHandshakeFailed(), "SSL connect error"),
            (.peerCertificateRejected(), "SSL peer certificate or SSH remote key was not OK"),
            (.emptyReply(), "Server returned nothing (no headers, no data)"),
            (.sendFailed(), "Failed sending data to the peer"),
            (.receiveFailed(), "Failure when receiving data from the peer"),
            (.partialBody(), "Transferred a partial file"),
            (.malformedResponse(), "Weird server reply"),
            (.requestTooLarge(byteCount: 1234), "HTTP request to send is too large: 1234 bytes"),
        ]
        for (error, text) in texts {
            #expect(error.message == text)
            #expect(error.description == text)
        }
    }

    @Test("a connect timeout and a refusal map to their reasons")
    func connecting() {
        #expect(HTTPDeliveryError(connecting: ChannelError.connectTimeout(.seconds(1))).code == .timedOut)
        #expect(
            HTTPDeliveryError(connecting: IOError(errnoCode: ECONNREFUSED, reason: "connect")).code == .couldNotConnect)
    }

    @Test("socket and TLS errors once connected map to their reasons")
    func exchanging() {
        #expect(
            HTTPDeliveryError(exchanging: IOError(errnoCode: ECONNRESET, reason: "write"), responseStarted: false).code
                == .sendFailed)
        #expect(
            HTTPDeliveryError(exchanging: IOError(errnoCode: ECONNRESET, reason: "read"), responseStarted: true).code
                == .receiveFailed)
        #expect(
            HTTPDeliveryError(exchanging: ChannelError.ioOnClosedChannel, responseStarted: false).code == .emptyReply)
        #expect(
            HTTPDeliveryError(exchanging: NIOSSLError.uncleanShutdown, responseStarted: true).code == .partialBody)
        #expect(HTTPDeliveryError(handshaking: NIOSSLError.uncleanShutdown).code == .tlsHandshakeFailed)
        #expect(
            HTTPDeliveryError(handshaking: NIOSSLExtraError.failedToValidateHostname).code == .peerCertificateRejected)
    }

    @Test("only a failure before any response byte may be sent again on a fresh connection")
    func retryable() {
        #expect(HTTPDeliveryError.emptyReply().isRetryableOnFreshConnection)
        #expect(HTTPDeliveryError.sendFailed().isRetryableOnFreshConnection)
        #expect(!HTTPDeliveryError.timedOut().isRetryableOnFreshConnection)
        #expect(!HTTPDeliveryError.receiveFailed().isRetryableOnFreshConnection)
        #expect(!HTTPDeliveryError.malformedResponse().isRetryableOnFreshConnection)
    }
}
