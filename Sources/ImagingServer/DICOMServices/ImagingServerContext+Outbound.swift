import DICOMNetwork
import NIOCore

extension ImagingServerContext {
    /// How Atrium calls a modality: as its `LocalAet` (or `DicomAet`), waiting its `Timeout` (or `DicomScuTimeout`),
    /// over DICOM TLS with `UseDicomTls` (see ``outboundTLSError(for:)`` when TLS is not configured).
    func outboundTarget(for modality: RemoteModality) -> OutboundTarget {
        let timeout = modality.timeout > 0 ? modality.timeout : configuration.dicomSCUTimeout
        return OutboundTarget(
            remote: RemoteApplicationEntity(
                title: modality.applicationEntityTitle, host: modality.host, port: modality.port),
            callingAETitle: modality.localApplicationEntityTitle.isEmpty
                ? configuration.dicomAET : modality.localApplicationEntityTitle,
            timeout: .seconds(Int64(max(1, timeout))), tls: modality.useDicomTLS ? dicomTLS?.client : nil)
    }

    /// Why a modality with `UseDicomTls` cannot be called: the DICOM TLS files are not configured.
    func outboundTLSError(for modality: RemoteModality) -> OrthancError? {
        guard modality.useDicomTLS, dicomTLS == nil else { return nil }
        return ModalityClient.networkError(
            modality.applicationEntityTitle,
            "DICOM TLS needs DicomTlsCertificate, DicomTlsPrivateKey and DicomTlsTrustedCertificates")
    }

    /// Stored instances as a C-STORE sends them, read from the index in one query, in the order of `ids` and once
    /// per occurrence; instances without a file or a SOP class are left out.
    func retrievableInstances(_ ids: [OrthancID]) async throws -> [RetrievableInstance] {
        let distinct = Array(Set(ids.map(\.value))).map(OrthancID.init)
        var byID: [String: RetrievableInstance] = [:]
        for summary in try await index.resources(distinct, level: .instance) {
            guard let file = summary.file, let sopInstance = summary.tags[0x0008_0018],
                let sopClass = summary.metadata[.sopClassUID]
            else { continue }
            byID[summary.id.value] = RetrievableInstance(
                sopClassUID: sopClass, sopInstanceUID: sopInstance,
                transferSyntaxUID: summary.metadata[.transferSyntax],
                load: { try await self.readFile(file) })
        }
        return ids.compactMap { byID[$0.value] }
    }
}
