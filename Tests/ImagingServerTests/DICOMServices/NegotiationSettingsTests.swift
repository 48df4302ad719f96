import DICOMNetwork
import Foundation
import Logging
import Testing

@testable import ImagingServer

/// The policy the DICOM server reads at each association request follows the settings changed through REST.
@Suite struct NegotiationSettingsTests {
    static let ct = "1.2.840.10008.5.1.4.1.1.2"
    static let privateClass = "1.2.826.0.1.3680043.8.498.99.1"

    static func request() -> AssociateRequest {
        var information = UserInformation()
        information.maximumLength = 32768
        return AssociateRequest(
            calledAETitle: "ATRIUM", callingAETitle: "MODALITY",
            presentationContexts: [
                ProposedPresentationContext(
                    id: 1, abstractSyntax: ct, transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
                ProposedPresentationContext(
                    id: 3, abstractSyntax: privateClass, transferSyntaxes: ["1.2.840.10008.1.2"]),
            ],
            userInformation: information)
    }

    /// The results of the two proposed contexts, and the transfer syntax of the first.
    static func outcome(_ policy: AssociationPolicy) -> [PresentationContextResult]? {
        guard case .accept(let accept, _) = policy.negotiate(request(), remoteAddress: "127.0.0.1") else { return nil }
        return accept.presentationContexts
    }

    @Test func eachAssociationReadsTheCurrentSettings() async throws {
        let folder = NSTemporaryDirectory() + "atrium-negotiation-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = ImagingConfiguration()
        configuration.storageDirectory = folder
        let context = try await ImagingServerContext(configuration: configuration)
        let policy = context.associationPolicy(
            services: ImagingDICOMServices(context: context, logger: Logger(label: "test")))

        let initial = try #require(Self.outcome(policy()))
        #expect(initial.map(\.result) == [.acceptance, .abstractSyntaxNotSupported])
        #expect(initial[0].transferSyntax == "1.2.840.10008.1.2.1")

        context.negotiation.acceptedTransferSyntaxes = AcceptedTransferSyntaxes(patterns: ["1.2.840.10008.1.2"])
        context.negotiation.unknownSOPClassAccepted = true
        let changed = try #require(Self.outcome(policy()))
        #expect(changed.map(\.result) == [.acceptance, .acceptance])
        #expect(changed[0].transferSyntax == "1.2.840.10008.1.2")

        context.negotiation.acceptedTransferSyntaxes = AcceptedTransferSyntaxes(patterns: [])
        let refused = try #require(Self.outcome(policy()))
        // With no storage syntax accepted, Orthanc 1.10.1 refuses storage contexts as abstract syntaxes not supported.
        #expect(refused.map(\.result) == [.abstractSyntaxNotSupported, .abstractSyntaxNotSupported])
    }
}
