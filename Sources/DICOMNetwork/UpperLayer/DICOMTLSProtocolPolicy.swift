package import NIOSSL

/// The TLS versions and cipher suites DICOM TLS accepts, in both directions.
///
/// The default is the BCP 195 profile Orthanc and DCMTK use: TLS 1.2 or later with the TLS library's cipher
/// suites. Orthanc's `DicomTlsMinimumProtocolVersion` (0 to 5) and `DicomTlsCiphersAccepted` (IANA names such as
/// `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`) change it; ``init(minimumProtocolVersion:cipherNames:)`` reads them.
package struct DICOMTLSProtocolPolicy: Sendable, Equatable {
    /// The oldest TLS version accepted.
    package var minimumVersion: TLSVersion
    /// The cipher suites of TLS 1.2 and earlier, in order of preference; `nil` for the library's defaults. TLS 1.3
    /// suites are not configurable and always those of the library.
    package var cipherSuites: [NIOTLSCipher]?

    /// BCP 195: TLS 1.2 or later, default cipher suites.
    package static let bcp195 = DICOMTLSProtocolPolicy(minimumVersion: .tlsv12, cipherSuites: nil)

    package init(minimumVersion: TLSVersion, cipherSuites: [NIOTLSCipher]?) {
        self.minimumVersion = minimumVersion
        self.cipherSuites = cipherSuites
    }

    /// The policy of Orthanc's two keys.
    ///
    /// - Parameters:
    ///   - minimumProtocolVersion: 0 for BCP 195; 1 (SSL 3, which the TLS library no longer speaks) and 2 for
    ///     TLS 1.0; 3 for TLS 1.1; 4 for TLS 1.2; 5 for TLS 1.3.
    ///   - cipherNames: the accepted TLS 1.2 cipher suites by IANA name; empty for the library's defaults. With
    ///     version 0 the list must be empty, as in Orthanc: the BCP 195 profile fixes its suites.
    /// - Throws: ``DICOMTLSError`` for a version out of range, a list given with version 0, or an unknown name.
    package init(minimumProtocolVersion: Int, cipherNames: [String]) throws(DICOMTLSError) {
        let version: TLSVersion
        switch minimumProtocolVersion {
        case 0:
            guard cipherNames.isEmpty else {
                throw DICOMTLSError(
                    "DicomTlsCiphersAccepted cannot be changed with the default profile: set "
                        + "DicomTlsMinimumProtocolVersion from 1 to 5")
            }
            self = .bcp195
            return
        case 1, 2: version = .tlsv1
        case 3: version = .tlsv11
        case 4: version = .tlsv12
        case 5: version = .tlsv13
        default:
            throw DICOMTLSError("DicomTlsMinimumProtocolVersion must be from 0 to 5, not \(minimumProtocolVersion)")
        }
        var suites: [NIOTLSCipher] = []
        for name in cipherNames {
            guard let suite = Self.cipherSuitesByName[name] else {
                throw DICOMTLSError("DicomTlsCiphersAccepted: unknown or unsupported cipher suite \(name)")
            }
            suites.append(suite)
        }
        self.init(minimumVersion: version, cipherSuites: suites.isEmpty ? nil : suites)
    }

    /// The TLS 1.2 cipher suites the TLS library offers, by IANA name (RFC 5246 and its extensions).
    static let cipherSuitesByName: [String: NIOTLSCipher] = [
        "TLS_RSA_WITH_AES_128_CBC_SHA": .TLS_RSA_WITH_AES_128_CBC_SHA,
        "TLS_RSA_WITH_AES_256_CBC_SHA": .TLS_RSA_WITH_AES_256_CBC_SHA,
        "TLS_RSA_WITH_AES_128_GCM_SHA256": .TLS_RSA_WITH_AES_128_GCM_SHA256,
        "TLS_RSA_WITH_AES_256_GCM_SHA384": .TLS_RSA_WITH_AES_256_GCM_SHA384,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA": .TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA": .TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": .TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ]
}
