import DICOMNetwork
import Foundation
import Testing

/// The DICOM TLS files are read at once, and a file that cannot be used is named in the error.
@Suite struct DICOMTLSContextsTests {
    @Test func aMissingFileIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atrium-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.pem").path
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let missing = folder.appendingPathComponent("missing.pem").path
        #expect(throws: DICOMTLSError("cannot read the certificate (PEM) from \(missing)")) {
            try DICOMTLSContexts.load(
                certificatePath: missing, privateKeyPath: missing, trustedCertificatesPath: missing,
                remoteCertificateRequired: true)
        }
        #expect(throws: DICOMTLSError("cannot read the certificate (PEM) from \(garbage)")) {
            try DICOMTLSContexts.load(
                certificatePath: garbage, privateKeyPath: missing, trustedCertificatesPath: missing,
                remoteCertificateRequired: true)
        }
        #expect(throws: DICOMTLSError("cannot read the certificate (PEM) from \(garbage)")) {
            try DICOMTLSContexts.load(
                certificatePath: garbage, privateKeyPath: missing, trustedCertificatesPath: nil,
                remoteCertificateRequired: false)
        }
    }
}
