import Hummingbird
import Logging
import ServiceLifecycle

/// The broker as a service of Atrium's service group: an HTTP server on its port until shutdown.
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
        try await application.run()
    }
}
