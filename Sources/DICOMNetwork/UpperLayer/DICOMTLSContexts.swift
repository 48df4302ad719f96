package import NIOSSL

/// Atrium's DICOM TLS identity as TLS contexts (PS3.15 Annex B.1, the Basic TLS Secure Transport Connection
/// Profile): one certificate and private key for both directions, peers verified against a list of trusted
/// certificates.
///
/// TLS 1.2 or later only by default, as the BCP 195 profile that Orthanc and DCMTK use (``DICOMTLSProtocolPolicy``
/// changes it). With
/// `remoteCertificateRequired` peers must present a certificate the trusted list signs, in both directions (the
/// acceptor's certificate is checked without a host name check: DICOM peers are known by address); without it,
/// no peer certificate is asked for or checked, as Orthanc 1.12.4 and later (DCMTK's `--require-peer-cert` and
/// `--ignore-peer-cert`).
package struct DICOMTLSContexts: Sendable {
    /// The context of the listener (the acceptor's side).
    package let server: NIOSSLContext
    /// The context of outbound associations (the requestor's side).
    package let client: NIOSSLContext

    /// Reads the PEM files and makes the contexts; every file is read now, so that a bad one stops the server
    /// from starting rather than failing the first association.
    ///
    /// - Parameter trustedCertificatesPath: the PEM certificates peers are verified against; needed only when
    ///   `remoteCertificateRequired`.
    /// - Throws: ``DICOMTLSError`` naming the file that cannot be read or parsed, or a key that does not match
    ///   the certificate.
    package static func load(
        certificatePath: String, privateKeyPath: String, trustedCertificatesPath: String?,
        remoteCertificateRequired: Bool, policy: DICOMTLSProtocolPolicy = .bcp195
    ) throws(DICOMTLSError) -> DICOMTLSContexts {
        let chain = try readCertificates(certificatePath, role: "certificate")
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw DICOMTLSError("cannot read the private key (PEM) from \(privateKeyPath)")
        }
        var trusted: [NIOSSLCertificate] = []
        if let trustedCertificatesPath {
            trusted = try readCertificates(trustedCertificatesPath, role: "trusted certificates")
        } else if remoteCertificateRequired {
            throw DICOMTLSError("peers are verified, but no trusted certificates are given")
        }
        let certificates = chain.map(NIOSSLCertificateSource.certificate)
        func secured(_ base: TLSConfiguration) -> TLSConfiguration {
            var configuration = base
            configuration.certificateChain = certificates
            configuration.privateKey = .privateKey(key)
            configuration.minimumTLSVersion = policy.minimumVersion
            if let suites = policy.cipherSuites { configuration.cipherSuiteValues = suites }
            configuration.certificateVerification = remoteCertificateRequired ? .noHostnameVerification : .none
            if !trusted.isEmpty { configuration.trustRoots = .certificates(trusted) }
            return configuration
        }
        let serverConfiguration = secured(
            TLSConfiguration.makeServerConfiguration(certificateChain: certificates, privateKey: .privateKey(key)))
        let clientConfiguration = secured(TLSConfiguration.makeClientConfiguration())
        do {
            return DICOMTLSContexts(
                server: try NIOSSLContext(configuration: serverConfiguration),
                client: try NIOSSLContext(configuration: clientConfiguration))
        } catch {
            throw DICOMTLSError(
                "the private key \(privateKeyPath) does not match the certificate \(certificatePath) (\(error))")
        }
    }

    private static func readCertificates(_ path: String, role: String) throws(DICOMTLSError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw DICOMTLSError("cannot read the \(role) (PEM) from \(path)")
        }
        guard !certificates.isEmpty else { throw DICOMTLSError("no PEM certificate in the \(role) file \(path)") }
        return certificates
    }
}

/// Why the DICOM TLS files cannot be used.
package struct DICOMTLSError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
