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

    /// The largest data set a C-STORE may carry; it is held in memory until it is written.
    static let maximumReceivedDataSetLength = 1 << 30

    /// What the DICOM server negotiates, from Orthanc's keys (`DicomAet`, `DicomCheckCalledAet`,
    /// `StrictAetComparison`, `UnknownSopClassAccepted`, `AcceptedTransferSyntaxes`, `MaximumPduLength`), with the
    /// calling AE screened as `DicomModalities` and `DicomAlwaysAllow*` say.
    func associationPolicy(services: ImagingDICOMServices) -> AssociationPolicy {
        let configuration = self.configuration
        var policy = AssociationPolicy(
            applicationEntityTitle: configuration.dicomAET,
            abstractSyntaxes: Self.queryRetrieveSOPClasses.union([
                AssociationPolicy.verification, StorageCommitment.sopClassUID,
            ]),
            storageSOPClasses: UIDDictionary.storageSOPClassUIDs,
            acceptedTransferSyntaxes: configuration.acceptedTransferSyntaxes,
            maximumPDULength: UInt32(configuration.maximumPDULength))
        policy.checksCalledAETitle = configuration.dicomCheckCalledAET
        policy.strictAETitleComparison = configuration.strictAETComparison
        policy.acceptsUnknownSOPClasses = configuration.unknownSOPClassAccepted
        policy.screen = { request, address in
            services.admits(callingAETitle: request.callingAETitle, address: address)
                ? nil : .callingAETitleNotRecognized
        }
        return policy
    }

    /// Binds the DICOM server on `DicomPort`, on every interface as Orthanc does (`RemoteAccessAllowed` concerns
    /// HTTP only); TLS only with `DicomTlsEnabled`. Storage commitment reports run as jobs of `jobs`.
    package func bindDICOMServer(logger: Logger, jobs: JobRegistry? = nil) async throws -> DICOMListener {
        let services = ImagingDICOMServices(context: self, logger: logger, jobs: jobs)
        let configuration = self.configuration
        return try await DICOMListener.bind(
            host: "0.0.0.0", port: configuration.dicomPort, policy: associationPolicy(services: services),
            handler: DIMSEServer(
                provider: services, maximumDataSetLength: Self.maximumReceivedDataSetLength, logger: logger),
            maximumAssociations: configuration.effectiveMaximumConcurrentAssociations,
            // `DicomScpTimeout` 0 means no timeout: a year stands for it.
            timeout: .seconds(Int64(configuration.dicomSCPTimeout > 0 ? configuration.dicomSCPTimeout : 31_536_000)),
            tls: configuration.dicomTLS.enabled ? dicomTLS?.server : nil, logger: logger)
    }
}
