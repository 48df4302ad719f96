package import NIOCore
import NIOPosix
package import NIOSSL

/// A remote application entity Atrium opens associations to (a C-MOVE destination, a modality of the REST API).
package struct RemoteApplicationEntity: Sendable, Equatable {
    package var title: String
    package var host: String
    package var port: Int

    package init(title: String, host: String, port: Int) {
        self.title = title
        self.host = host
        self.port = port
    }
}

/// Why an association could not be used.
package enum AssociationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer rejected the association request.
    case rejected(AssociateReject)
    /// The peer aborted, closed the connection, or broke the protocol.
    case aborted(String)
    /// No accepted presentation context can carry the operation.
    case noPresentationContext(String)

    package var description: String {
        switch self {
        case .rejected(let rejection):
            "association rejected (result \(rejection.result), source \(rejection.source), reason \(rejection.reason))"
        case .aborted(let why): "association aborted: \(why)"
        case .noPresentationContext(let abstractSyntax): "no accepted presentation context for \(abstractSyntax)"
        }
    }
}

/// Opens associations as requestor (SCU): connects with `TCP_NODELAY`, negotiates, runs the body, then releases.
package enum DICOMConnector {
    /// Connects to `remote`, proposes `contexts`, and runs `body` on the established association; the association
    /// is released when `body` returns and aborted when it throws.
    ///
    /// - Parameters:
    ///   - maximumDataSetLength: the largest data set accepted in one message (a C-FIND match, a C-STORE
    ///     sub-operation of a C-GET); a larger one aborts the association.
    ///   - streaming: when a C-STORE sub-operation's data set is streamed rather than held (see
    ///     ``DIMSEClient/get(_:sopClass:beginStore:store:)``); nil holds every data set, up to
    ///     `maximumDataSetLength`.
    ///   - tls: the TLS context when the remote is called over DICOM TLS (PS3.15 Annex B.1), nil for plain TCP.
    /// - Throws: ``AssociationFailure`` when the peer rejects or aborts, a NIO error when it cannot be reached
    ///   within `timeout`, or what `body` throws.
    package static func withAssociation<Result: Sendable>(
        to remote: RemoteApplicationEntity, callingAETitle: String, contexts: [ProposedPresentationContext],
        roleSelections: [RoleSelection] = [], maximumPDULength: UInt32 = 16384, timeout: TimeAmount,
        maximumDataSetLength: Int = 64 * 1024 * 1024, streaming: MessageAssembler.Streaming? = nil,
        tls: NIOSSLContext? = nil, _ body: (DIMSEClient) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(timeout)
            .connect(host: remote.host, port: remote.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configurePDUChannel(
                        channel, maximumLength: maximumPDULength, timeout: timeout,
                        tls: try tls.map { try NIOSSLClientHandler(context: $0, serverHostname: nil) })
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var information = UserInformation.atrium(maximumLength: maximumPDULength)
            information.roleSelections = roleSelections
            let request = AssociateRequest(
                calledAETitle: remote.title, callingAETitle: callingAETitle, presentationContexts: contexts,
                userInformation: information)
            try await outbound.write(.associateRequest(request))
            var pdus = inbound.makeAsyncIterator()
            let accept: AssociateAccept
            switch try await pdus.next() {
            case .associateAccept(let received)?: accept = received
            case .associateReject(let rejection)?: throw AssociationFailure.rejected(rejection)
            case .abort?: throw AssociationFailure.aborted("the peer aborted the association request")
            case nil: throw AssociationFailure.aborted("the peer closed the connection")
            default:
                try? await outbound.write(.abort(.unexpectedPDU))
                throw AssociationFailure.aborted("an unexpected PDU in answer to the association request")
            }
            var accepted: [UInt8: AcceptedPresentationContext] = [:]
            for result in accept.presentationContexts where result.result == .acceptance {
                guard let proposed = contexts.first(where: { $0.id == result.id }) else { continue }
                accepted[result.id] = AcceptedPresentationContext(
                    id: result.id, abstractSyntax: proposed.abstractSyntax, transferSyntax: result.transferSyntax)
            }
            let client = DIMSEClient(
                contexts: accepted, peerMaximumPDULength: accept.userInformation.maximumLength,
                inbound: pdus, outbound: outbound, maximumDataSetLength: maximumDataSetLength, streaming: streaming)
            let result: Result
            do {
                result = try await body(client)
            } catch {
                try? await outbound.write(.abort(.serviceUser))
                throw error
            }
            try await client.release()
            return result
        }
    }
}
