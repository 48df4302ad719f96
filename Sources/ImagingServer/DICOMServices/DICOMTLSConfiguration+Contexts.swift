import DICOMNetwork

extension ImagingConfiguration.DICOMTLSConfiguration {
    /// The TLS contexts of the DICOM server and of outbound associations, read from the PEM files now.
    ///
    /// With `DicomTlsEnabled` the three files are required, as Orthanc requires them (it stops with "Inexistent
    /// file", "Bad file format" or "no certificate was provided"). Without it, the files are read when all three
    /// keys are set, for the modalities with `UseDicomTls`; otherwise there are no contexts.
    ///
    /// - Throws: `OrthancError` naming the key or the file at fault.
    func contexts() throws(OrthancError) -> DICOMTLSContexts? {
        guard let certificate, let privateKey, let trustedCertificates else {
            guard enabled else { return nil }
            let missing = [
                ("DicomTlsCertificate", certificate), ("DicomTlsPrivateKey", privateKey),
                ("DicomTlsTrustedCertificates", trustedCertificates),
            ].filter { $0.1 == nil }.map(\.0)
            throw OrthancError(
                .parameterOutOfRange, "DICOM TLS is enabled, but \(missing.joined(separator: " and ")) is not set")
        }
        do {
            return try DICOMTLSContexts.load(
                certificatePath: certificate, privateKeyPath: privateKey, trustedCertificatesPath: trustedCertificates,
                remoteCertificateRequired: remoteCertificateRequired)
        } catch {
            throw OrthancError(.badFileFormat, "DICOM TLS: \(error.message)")
        }
    }
}
