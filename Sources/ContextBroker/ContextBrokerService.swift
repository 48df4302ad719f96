import Hummingbird
import Logging
import ServiceLifecycle

/// The broker as a service of Atrium's service group: an HTTP server on its port until shutdown, and the
/// once-a-minute removal of expired transient entities.
package struct ContextBrokerService: Service {
    let broker: ContextBroker

    package init(broker: ContextBroker) { self.broker = broker }

    package func run() async throws {
        let configuration = broker.configuration
        let application = Application(
            responder: BrokerResponder(broker: broker),
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
