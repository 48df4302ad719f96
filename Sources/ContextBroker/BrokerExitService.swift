import ServiceLifecycle

/// Ends when `GET /exit/harakiri` asks the broker to stop, so that a service group that shuts down when it ends
/// stops the broker cleanly (Orion's `-harakiri`, which its test harness uses); ends too on graceful shutdown.
package struct BrokerExitService: Service {
    let broker: ContextBroker

    package init(broker: ContextBroker) { self.broker = broker }

    package func run() async {
        let requests = broker.exitRequests
        await cancelWhenGracefulShutdown {
            for await _ in requests { return }
        }
    }
}
