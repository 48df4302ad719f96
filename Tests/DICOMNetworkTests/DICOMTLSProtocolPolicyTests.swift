import DICOMNetwork
import NIOSSL
import Testing

/// Orthanc's `DicomTlsMinimumProtocolVersion` and `DicomTlsCiphersAccepted`, as TLS settings.
@Suite struct DICOMTLSProtocolPolicyTests {
    @Test func zeroIsTheBCP195Profile() throws {
        #expect(try DICOMTLSProtocolPolicy(minimumProtocolVersion: 0, cipherNames: []) == .bcp195)
        #expect(DICOMTLSProtocolPolicy.bcp195.minimumVersion == .tlsv12)
        #expect(DICOMTLSProtocolPolicy.bcp195.cipherSuites == nil)
    }

    @Test(arguments: [(1, TLSVersion.tlsv1), (2, .tlsv1), (3, .tlsv11), (4, .tlsv12), (5, .tlsv13)])
    func versionsFromOneToFive(value: Int, version: TLSVersion) throws {
        let policy = try DICOMTLSProtocolPolicy(minimumProtocolVersion: value, cipherNames: [])
        #expect(policy.minimumVersion == version)
        #expect(policy.cipherSuites == nil)
    }

    @Test func cipherSuitesByIANAName() throws {
        let policy = try DICOMTLSProtocolPolicy(
            minimumProtocolVersion: 4,
            cipherNames: ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"])
        #expect(
            policy.cipherSuites == [.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256])
    }

    @Test func badSettingsAreRefused() {
        #expect(
            throws: DICOMTLSError("DicomTlsMinimumProtocolVersion must be from 0 to 5, not 6")
        ) { try DICOMTLSProtocolPolicy(minimumProtocolVersion: 6, cipherNames: []) }
        #expect(
            throws: DICOMTLSError("DicomTlsMinimumProtocolVersion must be from 0 to 5, not -1")
        ) { try DICOMTLSProtocolPolicy(minimumProtocolVersion: -1, cipherNames: []) }
        #expect(
            throws: DICOMTLSError(
                "DicomTlsCiphersAccepted cannot be changed with the default profile: set "
                    + "DicomTlsMinimumProtocolVersion from 1 to 5")
        ) { try DICOMTLSProtocolPolicy(minimumProtocolVersion: 0, cipherNames: ["TLS_RSA_WITH_AES_128_CBC_SHA"]) }
        #expect(
            throws: DICOMTLSError(
                "DicomTlsCiphersAccepted: unknown or unsupported cipher suite TLS_NULL_WITH_NULL_NULL")
        ) { try DICOMTLSProtocolPolicy(minimumProtocolVersion: 4, cipherNames: ["TLS_NULL_WITH_NULL_NULL"]) }
    }
}
