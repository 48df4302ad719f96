import Logging
import NIOCore
import NIOPosix
import Notifications
import Synchronization

/// A logger that drops everything.
let quietLogger = Logger(label: "notifications.tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// An HTTP notification to `url`.
func httpNotification(
    _ url: String, method: String = "POST", headers: [HTTPTarget.Header] = [], body: String = "",
    queue: String = "", timeout: Duration? = nil
) -> OutboundNotification {
    OutboundNotification(
        destination: .http(HTTPTarget(url: url, method: method, headers: headers)), body: ByteBuffer(string: body),
        queue: queue, timeout: timeout)
}

/// A port of 127.0.0.1 on which nothing listens: bound, then closed.
func closedPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
}

/// A TCP listener on 127.0.0.1 that accepts connections, writes `greeting` on each (nothing by default) and
/// ignores whatever it reads.
struct SilentTCPServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    init(greeting: String = "") async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(GreetingHandler(greeting: greeting))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func close() async { try? await channel.close() }
}

/// Writes a fixed text when the connection opens, and drops what it reads.
private final class GreetingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let greeting: String

    init(greeting: String) {
        self.greeting = greeting
    }

    func channelActive(context: ChannelHandlerContext) {
        if !greeting.isEmpty {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: greeting)), promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

/// The outcomes reported to completions, in completion order, keyed by a label the test gives.
final class OutcomeRecorder: Sendable {
    private let outcomes = Mutex<[(label: String, outcome: DeliveryOutcome)]>([])

    /// A completion that records its outcome under `label`.
    func completion(_ label: String) -> @Sendable (DeliveryOutcome) -> Void {
        { outcome in self.outcomes.withLock { $0.append((label, outcome)) } }
    }

    /// The labels, in completion order.
    var labels: [String] { outcomes.withLock { $0.map(\.label) } }
    /// The outcomes, in completion order.
    var all: [DeliveryOutcome] { outcomes.withLock { $0.map(\.outcome) } }
    /// The outcome of `label`.
    func outcome(_ label: String) -> DeliveryOutcome? { outcomes.withLock { $0.first { $0.label == label }?.outcome } }
    var count: Int { outcomes.withLock { $0.count } }

    /// Waits until `count` outcomes arrived, at most `timeout`.
    func waitFor(_ count: Int, timeout: Duration = .seconds(10)) async {
        let deadline = ContinuousClock.now + timeout
        while self.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
