package import Logging
package import NIOCore
import NIOPosix
package import NIOSSL
import ServiceLifecycle
import Synchronization

/// The DICOM server's socket: accepts TCP (or TLS) connections, negotiates associations with an
/// ``AssociationPolicy`` and hands each established one to an ``AssociationHandler``.
///
/// The policy is asked for at each A-ASSOCIATE-RQ, so settings changed while the server runs (Orthanc's
/// `PUT /tools/accepted-transfer-syntaxes`) apply to the next associations; those established keep what they
/// negotiated. Only the maximum PDU length is read once, when the socket is bound.
///
/// Every socket has `TCP_NODELAY`: DIMSE is request and response, and Nagle's algorithm would hold each small
/// response for the peer's delayed acknowledgement (about 40 ms). A connection silent for `timeout` is closed
/// (the ARTIM timer before negotiation, `DicomScpTimeout` after). Above `maximumAssociations` at once, a request is
/// rejected as transient (local limit exceeded).
package struct DICOMListener: Service {
    private let server: NIOAsyncChannel<NIOAsyncChannel<PDU, PDU>, Never>
    private let policy: @Sendable () -> AssociationPolicy
    private let handler: any AssociationHandler
    private let maximumAssociations: Int
    private let logger: Logger
    private let active = Active()

    /// The port the listener is bound to (useful with port 0).
    package let port: Int

    private final class Active: Sendable {
        let count = Mutex(0)
    }

    /// Binds the socket; ``run()`` serves it.
    ///
    /// - Parameter policy: the policy of the next association, called once per A-ASSOCIATE-RQ from any thread;
    ///   it must be quick (a copy of a value held under a lock).
    package static func bind(
        host: String, port: Int, policy: @escaping @Sendable () -> AssociationPolicy,
        handler: any AssociationHandler, maximumAssociations: Int, timeout: TimeAmount, tls: NIOSSLContext? = nil,
        logger: Logger
    ) async throws -> DICOMListener {
        let maximumLength = policy().maximumPDULength
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configurePDUChannel(
                        channel, maximumLength: maximumLength, timeout: timeout,
                        tls: tls.map { NIOSSLServerHandler(context: $0) })
                }
            }
        return DICOMListener(
            server: server, policy: policy, handler: handler, maximumAssociations: maximumAssociations,
            logger: logger, port: server.channel.localAddress?.port ?? port)
    }

    private init(
        server: NIOAsyncChannel<NIOAsyncChannel<PDU, PDU>, Never>, policy: @escaping @Sendable () -> AssociationPolicy,
        handler: any AssociationHandler, maximumAssociations: Int, logger: Logger, port: Int
    ) {
        self.server = server
        self.policy = policy
        self.handler = handler
        self.maximumAssociations = maximumAssociations
        self.logger = logger
        self.port = port
    }

    /// Serves connections until graceful shutdown; associations in progress are then aborted.
    package func run() async throws {
        let server = self.server
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        let admitted = active.count.withLock { count in
                            guard count < maximumAssociations else { return false }
                            count += 1
                            return true
                        }
                        group.addTask {
                            defer { if admitted { active.count.withLock { $0 -= 1 } } }
                            await serve(connection, admitted: admitted)
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// One connection, from A-ASSOCIATE-RQ to release or abort: the PDUs and failures go to an
    /// ``AcceptorStateMachine``, whose actions are carried out here.
    private func serve(_ connection: NIOAsyncChannel<PDU, PDU>, admitted: Bool) async {
        let remoteAddress = connection.channel.remoteAddress?.ipAddress ?? ""
        var machine = AcceptorStateMachine(policy: policy(), remoteAddress: remoteAddress, admitted: admitted)
        do {
            try await connection.executeThenClose { inbound, outbound in
                var pdus = inbound.makeAsyncIterator()
                var session: (any AssociationSession)?
                var isOpen = true
                while isOpen {
                    let actions: [AcceptorStateMachine.Action]
                    do {
                        if let pdu = try await pdus.next() {
                            actions = machine.received(pdu)
                        } else {
                            actions = machine.transportClosed()
                        }
                    } catch let error as UpperLayerError {
                        actions = machine.violated(error)
                    } catch {
                        // A broken connection (reset, read error) ends the association as a closed one does, so
                        // that the session is told and abandons what it holds.
                        actions = machine.transportClosed()
                    }
                    var pending = actions[...]
                    while let action = pending.popFirst() {
                        switch action {
                        case .send(let pdu):
                            try? await outbound.write(pdu)
                        case .startSession(let association):
                            let writer = OutboundAssociationWriter(
                                outbound: outbound, channel: connection.channel,
                                peerMaximumLength: association.peerMaximumPDULength)
                            session = handler.makeSession(for: association, writer: writer)
                        case .deliver(let values):
                            do {
                                try await session?.received(values)
                            } catch let error as UpperLayerError {
                                pending = machine.violated(error)[...]
                            } catch let termination as SessionTermination {
                                pending = machine.sessionTerminated(termination)[...]
                            } catch {
                                pending = machine.sessionFailed("\(error)")[...]
                            }
                        case .endSession(let released):
                            await session?.ended(released: released)
                            session = nil
                        case .close:
                            isOpen = false
                        }
                    }
                    if machine.state == .closed { isOpen = false }
                }
                if let refusal = machine.refusal {
                    logger.info(
                        "DICOM association refused or aborted",
                        metadata: ["reason": "\(refusal)", "address": "\(remoteAddress)"])
                }
            }
        } catch {
            logger.debug("DICOM connection closed", metadata: ["error": "\(error)"])
        }
    }
}

/// Sends PDV items on an association's channel, packed for the peer's maximum length.
struct OutboundAssociationWriter: AssociationWriter {
    let outbound: NIOAsyncChannelOutboundWriter<PDU>
    let channel: any Channel
    let peerMaximumLength: UInt32

    func send(_ values: [PresentationDataValue]) async throws {
        try await outbound.write(contentsOf: PDU.dataPDUs(values, maximumLength: peerMaximumLength))
    }

    func abort() async {
        try? await outbound.write(.abort(.serviceUser))
        try? await channel.close()
    }
}
