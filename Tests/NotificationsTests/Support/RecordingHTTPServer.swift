import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One request as the test server read it.
struct RecordedRequest: Sendable, Equatable {
    /// One header line, in arrival order.
    struct Field: Sendable, Equatable, CustomStringConvertible {
        var name: String
        var value: String

        init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }

        var description: String { "\(name): \(value)" }
    }

    var method: String
    var uri: String
    var version: String
    var headers: [Field]
    var body: String
    /// The connection it came on, numbered from 1 in accept order.
    var connection: Int
    /// Its place among the requests of its connection, from 1.
    var indexOnConnection: Int
}

/// What the test server does with a request.
enum TestReply: Sendable {
    /// Answers with `status`, after `delay`; `closes` adds `Connection: close` and closes after the response.
    case status(Int, body: String = "", delay: Duration? = nil, closes: Bool = false)
    /// Writes these bytes as they are, then closes the connection if `thenCloses`.
    case raw(String, thenCloses: Bool)
    /// Closes the connection without answering.
    case closeWithoutAnswer
    /// Never answers and keeps the connection open.
    case noAnswer
}

/// A small HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that records every request and answers as told.
final class RecordingHTTPServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let store: RequestStore

    /// Starts a server; with `tls`, every connection is TLS first.
    init(tls: NIOSSLContext? = nil, reply: @escaping @Sendable (RecordedRequest) -> TestReply = { _ in .status(200) })
        async throws
    {
        let store = RequestStore(reply: reply)
        self.store = store
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let connection = store.accepted(child)
                    let operations = child.pipeline.syncOperations
                    if let tls { try operations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try operations.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: false)
                    try operations.addHandler(RecordingHandler(connection: connection, store: store))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    /// Every request read so far, in arrival order.
    var requests: [RecordedRequest] { store.state.withLock { $0.requests } }
    /// How many connections were accepted.
    var connectionCount: Int { store.state.withLock { $0.connections.count } }
    /// How many accepted connections are closed now.
    var closedConnectionCount: Int { store.state.withLock { $0.closedConnections } }
    /// The most requests that waited for their answer at once.
    var maximumConcurrentRequests: Int { store.state.withLock { $0.maximumConcurrentRequests } }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String = "/", scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// Waits until `count` requests arrived, at most `timeout`.
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        while requests.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Closes the listener and every connection.
    func close() async {
        let connections = store.state.withLock { $0.connections }
        for connection in connections { try? await connection.close() }
        try? await channel.close()
    }
}

/// The recorded requests and connections of a server, shared by its connections' handlers.
private final class RequestStore: Sendable {
    struct State {
        var requests: [RecordedRequest] = []
        var connections: [any Channel] = []
        var closedConnections = 0
        var maximumConcurrentRequests = 0
        var requestsInProgress = 0
    }

    let state = Mutex(State())
    let reply: @Sendable (RecordedRequest) -> TestReply

    init(reply: @escaping @Sendable (RecordedRequest) -> TestReply) {
        self.reply = reply
    }

    /// Numbers a new connection, from 1.
    func accepted(_ channel: any Channel) -> Int {
        channel.closeFuture.whenComplete { _ in self.state.withLock { $0.closedConnections += 1 } }
        return state.withLock { state in
            state.connections.append(channel)
            return state.connections.count
        }
    }

    func record(_ request: RecordedRequest) -> TestReply {
        state.withLock { state in
            state.requests.append(request)
            state.requestsInProgress += 1
            state.maximumConcurrentRequests = max(state.maximumConcurrentRequests, state.requestsInProgress)
        }
        return reply(request)
    }

    func answered() {
        state.withLock { $0.requestsInProgress -= 1 }
    }
}

/// Reads requests, records them and carries out the server's replies.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: Int
    private let store: RequestStore
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var index = 0

    init(connection: Int, store: RequestStore) {
        self.connection = connection
        self.store = store
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            index += 1
            let request = RecordedRequest(
                method: head.method.rawValue, uri: head.uri, version: "\(head.version)",
                headers: head.headers.map { RecordedRequest.Field($0.name, $0.value) },
                body: String(buffer: body), connection: connection, indexOnConnection: index)
            carryOut(store.record(request), context: context)
        }
    }

    private func carryOut(_ reply: TestReply, context: ChannelHandlerContext) {
        switch reply {
        case .status(let code, let body, let delay, let closes):
            if let delay {
                context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
                    self.respond(code, body: body, closes: closes, context: context)
                }
            } else {
                respond(code, body: body, closes: closes, context: context)
            }
        case .raw(let text, let thenCloses):
            store.answered()
            // Written below the response encoder, so the bytes go out as they are.
            guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
            else { return }
            let written = encoder.writeAndFlush(NIOAny(IOData.byteBuffer(ByteBuffer(string: text))))
            if thenCloses {
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        case .closeWithoutAnswer:
            store.answered()
            context.close(promise: nil)
        case .noAnswer:
            break
        }
    }

    private func respond(
        _ code: Int, body: String, closes: Bool, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders([("Content-Length", String(body.utf8.count))])
        if closes { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: code), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil) }
        store.answered()
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if closes {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
