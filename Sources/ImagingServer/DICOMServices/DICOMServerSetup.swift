import DICOM
package import DICOMNetwork
package import Logging
import NIOCore

extension ImagingServerContext {
    /// The query/retrieve SOP classes of the patient and study root models: FIND, MOVE and GET.
    static let queryRetrieveSOPClasses: Set<String> = [
        "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.1.3",
        "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.2.3",
    ]

    /// The largest data set held in memory (a C-FIND identifier, a C-STORE below the streaming threshold).
    static let maximumReceivedDataSetLength = 1 << 30

    /// The largest data set a streamed C-STORE may carry: 4 GiB, the most a defined-length Pixel Data can hold.
    static let maximumStreamedDataSetLength = 4 << 30

    /// What the DICOM server negotiates, from Orthanc's keys (`DicomAet`, `DicomCheckCalledAet`,
    /// `StrictAetComparison`, `MaximumPduLength`) and the current ``NegotiationSettings`` (`UnknownSopClassAccepted`,
    /// `AcceptedTransferSyntaxes`), with the calling AE screened as `DicomModalities` and `DicomAlwaysAllow*` say.
    func associationPolicy(services: ImagingDICOMServices) -> @Sendable () -> AssociationPolicy {
        let configuration = self.configuration
        var policy = AssociationPolicy(
            applicationEntityTitle: configuration.dicomAET,
            abstractSyntaxes: Self.queryRetrieveSOPClasses.union([
                AssociationPolicy.verification, StorageCommitment.sopClassUID,
            ]),
            storageSOPClasses: UIDDictionary.storageSOPClassUIDs,
            acceptedTransferSyntaxes: [], maximumPDULength: UInt32(configuration.maximumPDULength))
        policy.checksCalledAETitle = configuration.dicomCheckCalledAET
        policy.strictAETitleComparison = configuration.strictAETComparison
        policy.screen = { request, address in
            services.admits(callingAETitle: request.callingAETitle, address: address)
                ? nil : .callingAETitleNotRecognized
        }
        let base = policy
        let settings = negotiation
        return {
            let current = settings.current
            var policy = base
            // Exact UIDs: the patterns were resolved against the known syntaxes when the settings were set.
            policy.acceptedTransferSyntaxes = current.acceptedTransferSyntaxes.uids
            policy.acceptsUnknownSOPClasses = current.unknownSOPClassAccepted
            return policy
        }
    }

    /// Binds the DICOM server on `DicomPort`, on every interface as Orthanc does (`RemoteAccessAllowed` concerns
    /// HTTP only); TLS only with `DicomTlsEnabled`. Storage commitment reports run as jobs of `jobs`.
    package func bindDICOMServer(logger: Logger, jobs: JobRegistry? = nil) async throws -> DICOMListener {
        let services = ImagingDICOMServices(context: self, logger: logger, jobs: jobs)
        let configuration = self.configuration
        return try await DICOMListener.bind(
            host: "0.0.0.0", port: configuration.dicomPort, policy: associationPolicy(services: services),
            handler: DIMSEServer(
                provider: services, maximumDataSetLength: Self.maximumReceivedDataSetLength,
                streaming: MessageAssembler.Streaming(
                    threshold: configuration.dicomStreamedStoreThresholdKB * 1024,
                    maximumLength: Self.maximumStreamedDataSetLength),
                logger: logger),
            maximumAssociations: configuration.effectiveMaximumConcurrentAssociations,
            // `DicomScpTimeout` 0 means no timeout: a year stands for it.
            timeout: .seconds(Int64(configuration.dicomSCPTimeout > 0 ? configuration.dicomSCPTimeout : 31_536_000)),
            tls: configuration.dicomTLS.enabled ? dicomTLS?.server : nil, logger: logger)
    }
}
