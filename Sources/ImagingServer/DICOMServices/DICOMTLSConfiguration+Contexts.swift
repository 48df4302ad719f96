import DICOMNetwork

extension ImagingConfiguration.DICOMTLSConfiguration {
    /// The TLS contexts of the DICOM server and of outbound associations, read from the PEM files now.
    ///
    /// With `DicomTlsEnabled` the files are required, as Orthanc requires them (it stops with "Inexistent file",
    /// "Bad file format" or "no certificate was provided"); the trusted certificates only with
    /// `DicomTlsRemoteCertificateRequired`, as since Orthanc 1.12.4. Without `DicomTlsEnabled`, the files are read
    /// when those keys are set, for the modalities with `UseDicomTls`; otherwise there are no contexts.
    ///
    /// - Throws: `OrthancError` naming the key or the file at fault.
    func contexts() throws(OrthancError) -> DICOMTLSContexts? {
        guard let certificate, let privateKey, trustedCertificates != nil || !remoteCertificateRequired else {
            guard enabled else { return nil }
            var missing: [String] = []
            if certificate == nil { missing.append("DicomTlsCertificate") }
            if privateKey == nil { missing.append("DicomTlsPrivateKey") }
            if trustedCertificates == nil && remoteCertificateRequired { missing.append("DicomTlsTrustedCertificates") }
            throw OrthancError(
                .parameterOutOfRange,
                "DICOM TLS is enabled, but \(missing.joined(separator: " and ")) \(missing.count > 1 ? "are" : "is") not set"
            )
        }
        do {
            let policy = try DICOMTLSProtocolPolicy(
                minimumProtocolVersion: minimumProtocolVersion, cipherNames: ciphersAccepted)
            return try DICOMTLSContexts.load(
                certificatePath: certificate, privateKeyPath: privateKey, trustedCertificatesPath: trustedCertificates,
                remoteCertificateRequired: remoteCertificateRequired, policy: policy)
        } catch {
            throw OrthancError(.badFileFormat, "DICOM TLS: \(error.message)")
        }
    }
}
