import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
package import NIOSSL
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// The broker as a service of Atrium's service group: an HTTP (or, with `-https`, HTTPS) server on its port until
/// shutdown, and the once-a-minute removal of expired transient entities.
package struct ContextBrokerService: Service {
    let broker: ContextBroker
    let tls: TLSConfiguration?

    /// - Parameter tls: the server's TLS configuration for `-https` (see ``serverTLS(privateKeyPath:certificatePath:)``).
    package init(broker: ContextBroker, tls: TLSConfiguration? = nil) {
        self.broker = broker
        self.tls = tls
    }

    /// The handlers each connection gets besides Hummingbird's: the `-maxConnections` count, Orion's reason phrases.
    static func channelHandlers(_ limiter: ConnectionLimiter) -> [any RemovableChannelHandler] {
        [limiter.handler(), ReasonPhraseInstaller()]
    }

    /// The TLS configuration of `-https -key FILE -cert FILE`.
    /// - Throws: ``OrionCommandLineFailure`` with Orion's message when a file cannot be loaded.
    package static func serverTLS(privateKeyPath: String, certificatePath: String) throws(OrionCommandLineFailure)
        -> TLSConfiguration
    {
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw .fatal("Fatal Error (loading private server key from '\(privateKeyPath)')")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw .fatal("Fatal Error (loading certificate from '\(certificatePath)')")
        }
        guard !chain.isEmpty else { throw .fatal("Fatal Error (loading certificate from '\(certificatePath)')") }
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map(NIOSSLCertificateSource.certificate), privateKey: .privateKey(key))
    }

    /// The address to listen on: the configured host, or its alternative when the machine has no IPv6 for `::`.
    static func listenHost(_ configuration: BrokerConfiguration) -> String {
        guard configuration.host == "::", let alternative = configuration.alternativeHost else {
            return configuration.host
        }
        return canBindIPv6() ? configuration.host : alternative
    }

    /// Whether an IPv6 socket can be bound on this machine.
    static func canBindIPv6() -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_addr = in6addr_any
            address.sin6_port = 0
            let bound = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
            return bound == 0
        #else
            return true
        #endif
    }

    package func run() async throws {
        let configuration = broker.configuration
        // The tenants' databases are opened, and their subscriptions cached, before the first request.
        _ = try await broker.database(tenant: "")
        // A tenant's file that does not open is logged, and the tenant answers 500 until it does.
        for tenant in configuration.storedTenants() { _ = try? await broker.database(tenant: tenant) }
        let limiter = ConnectionLimiter(maximum: configuration.maximumConnections)
        // -reqTimeout: seconds a connection may stay idle (0: no limit).
        let idleTimeout =
            configuration.requestTimeout > 0 ? TimeAmount.seconds(Int64(configuration.requestTimeout)) : nil
        let http1 = HTTPServerBuilder.http1(
            configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: Self.channelHandlers(limiter), idleTimeout: idleTimeout))
        let server = try tls.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: $0) } ?? http1
        let application = Application(
            responder: BrokerResponder(broker: broker),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(Self.listenHost(configuration), port: configuration.port), serverName: nil),
            logger: broker.logger)
        let broker = self.broker
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await Task.sleep(for: .seconds(60))
                        try await broker.purgeExpiredEntities()
                    } catch is CancellationError {
                        return
                    } catch {
                        broker.logger.error("purging expired entities failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            try await application.run()
            group.cancelAll()
        }
    }
}
