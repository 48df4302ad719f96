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

    /// One connection, from A-ASSOCIATE-RQ to release or abort.
    private func serve(_ connection: NIOAsyncChannel<PDU, PDU>, admitted: Bool) async {
        let remoteAddress = connection.channel.remoteAddress?.ipAddress ?? ""
        do {
            try await connection.executeThenClose { inbound, outbound in
                var pdus = inbound.makeAsyncIterator()
                let first: PDU?
                do {
                    first = try await pdus.next()
                } catch let error as UpperLayerError {
                    logger.info("DICOM connection refused", metadata: ["reason": "\(error.message)"])
                    try await outbound.write(.abort(error.abortReason))
                    return
                }
                guard case .associateRequest(let request)? = first else {
                    if first != nil { try await outbound.write(.abort(.unexpectedPDU)) }
                    return
                }
                guard admitted else {
                    try await outbound.write(.associateReject(.localLimitExceeded))
                    return
                }
                let association: EstablishedAssociation
                switch policy().negotiate(request, remoteAddress: remoteAddress) {
                case .reject(let rejection):
                    logger.info(
                        "DICOM association refused",
                        metadata: ["calling": "\(request.callingAETitle)", "address": "\(remoteAddress)"])
                    try await outbound.write(.associateReject(rejection))
                    return
                case .accept(let accept, let established):
                    try await outbound.write(.associateAccept(accept))
                    association = established
                }
                let writer = OutboundAssociationWriter(
                    outbound: outbound, channel: connection.channel,
                    peerMaximumLength: association.peerMaximumPDULength)
                let session = handler.makeSession(for: association, writer: writer)
                var released = false
                do {
                    loop: while let pdu = try await pdus.next() {
                        switch pdu {
                        case .data(let values):
                            try await session.received(values)
                        case .releaseRequest:
                            await session.ended(released: true)
                            released = true
                            try await outbound.write(.releaseResponse)
                            break loop
                        case .abort:
                            break loop
                        default:
                            try await outbound.write(.abort(.unexpectedPDU))
                            break loop
                        }
                    }
                } catch let error as UpperLayerError {
                    logger.info("DICOM association aborted", metadata: ["reason": "\(error.message)"])
                    try? await outbound.write(.abort(error.abortReason))
                } catch {
                    logger.info("DICOM association aborted", metadata: ["reason": "\(error)"])
                    try? await outbound.write(.abort(.serviceUser))
                }
                if !released { await session.ended(released: false) }
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
