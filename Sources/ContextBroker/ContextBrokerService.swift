import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The broker as a service of Atrium's service group: an HTTP server on its port until shutdown, and the
/// once-a-minute removal of expired transient entities.
package struct ContextBrokerService: Service {
    let broker: ContextBroker

    package init(broker: ContextBroker) { self.broker = broker }

    /// The handlers each connection gets besides Hummingbird's: Orion's reason phrases.
    static func channelHandlers() -> [any RemovableChannelHandler] { [ReasonPhraseInstaller()] }

    package func run() async throws {
        let configuration = broker.configuration
        let application = Application(
            responder: BrokerResponder(broker: broker),
            server: .http1(
                configuration: HTTP1Channel.Configuration(additionalChannelHandlers: Self.channelHandlers())),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
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
