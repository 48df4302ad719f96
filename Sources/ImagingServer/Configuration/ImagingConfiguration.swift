/// The imaging server's settings, read from an Orthanc-style configuration document with Orthanc's key names.
///
/// Each property names the Orthanc key it comes from and its default. Defaults follow Orthanc's, except the
/// storage folder (`./atrium-data/imaging`) and the index file name (`atrium-index.sqlite`, so that an Orthanc
/// index in the same folder is never opened by mistake).
package struct ImagingConfiguration: Sendable, Equatable {
    /// `OverwriteInstances`: what to do when an instance with a known Orthanc ID arrives.
    package enum OverwriteMode: String, Sendable {
        /// Keep the stored instance and answer `AlreadyStored` (Orthanc's default, `false`).
        case never = "Never"
        /// Replace the stored instance (`true`).
        case always = "Always"
        /// Replace it only when the bytes differ (by MD5).
        case ifChanged = "IfChanged"
    }

    /// `StorageAccessOnFind`: whether find operations may read files. Atrium answers from the index in all three.
    package enum StorageAccessOnFind: String, Sendable {
        case always = "Always"
        case answers = "Answers"
        case never = "Never"
    }

    /// `MaximumStorageMode`: what happens when a maximum is reached.
    package enum MaximumStorageMode: String, Sendable {
        /// Delete the oldest unprotected patients to make room.
        case recycle = "Recycle"
        /// Refuse the new instance.
        case reject = "Reject"
    }

    /// `Name` (Orthanc: "MyOrthanc"; here "Atrium"): the server name shown by `/system`.
    package var name = "Atrium"
    /// `HttpPort` (8042).
    package var httpPort = 8042
    /// `DicomAet` ("ORTHANC"): shown by `/system`.
    package var dicomAET = "ORTHANC"
    /// `DicomPort` (4242): where the DICOM server listens.
    package var dicomPort = 4242
    /// `DicomServerEnabled` (true): whether the DICOM server listens at all.
    package var dicomServerEnabled = true
    /// `DicomModalities` ({}): the modalities Atrium knows, by symbolic name.
    package var dicomModalities: [String: RemoteModality] = [:]
    /// `DicomModalitiesInDatabase` (false): whether `/modalities` may be changed over REST (and the changes kept).
    package var dicomModalitiesInDatabase = false
    /// `DicomCheckCalledAet` (false): refuse associations whose called AE title is not `DicomAet`.
    package var dicomCheckCalledAET = false
    /// `StrictAetComparison` (false): compare AE titles case-sensitively.
    package var strictAETComparison = false
    /// `DicomAlwaysAllowEcho` (true): answer C-ECHO from unknown modalities.
    package var dicomAlwaysAllowEcho = true
    /// `DicomAlwaysAllowStore` (true): accept C-STORE from unknown modalities.
    package var dicomAlwaysAllowStore = true
    /// `DicomAlwaysAllowFind` (false): answer C-FIND from unknown modalities.
    package var dicomAlwaysAllowFind = false
    /// `DicomAlwaysAllowFindWorklist` (false): answer worklist C-FIND from unknown modalities.
    package var dicomAlwaysAllowFindWorklist = false
    /// `DicomAlwaysAllowGet` (false): answer C-GET from unknown modalities.
    package var dicomAlwaysAllowGet = false
    /// `DicomAlwaysAllowMove` (false): answer C-MOVE from unknown modalities.
    package var dicomAlwaysAllowMove = false
    /// `DicomCheckModalityHost` (false): a known modality must also call from its configured host.
    package var dicomCheckModalityHost = false
    /// `DicomScpTimeout` (30): seconds an association may stay idle before Atrium aborts it.
    package var dicomSCPTimeout = 30
    /// `DicomScuTimeout` (10): seconds Atrium waits for a modality it calls.
    package var dicomSCUTimeout = 10
    /// `MaximumPduLength` (16384): the largest PDU Atrium receives, announced in association negotiation.
    package var maximumPDULength = 16384
    /// `UnknownSopClassAccepted` (false): accept storage of SOP classes Atrium does not list.
    package var unknownSOPClassAccepted = false
    /// `AcceptedTransferSyntaxes` (["1.2.840.10008.1.*"]): the transfer syntaxes the DICOM server accepts, as
    /// UIDs or patterns with `*` and `?`.
    package var acceptedTransferSyntaxes = ["1.2.840.10008.1.*"]
    /// `DicomThreadsCount` (4): Orthanc's DICOM worker threads; Atrium serves associations concurrently and
    /// uses it, times 16, as the limit on associations at once (`MaximumConcurrentAssociations` sets it directly).
    package var dicomThreadsCount = 4
    /// `MaximumConcurrentAssociations` (Atrium's own; 0: 16 × `DicomThreadsCount`): associations served at once.
    package var maximumConcurrentAssociations = 0
    /// `DicomStreamedStoreThresholdKB` (Atrium's own; 16384, that is 16 MiB): a C-STORE data set that grows beyond
    /// this many kilobytes is written to the storage area as it arrives instead of being held in memory.
    package var dicomStreamedStoreThresholdKB = 16384
    /// `DicomAssociationCloseDelay` (5): seconds an idle SCU association is kept open for reuse.
    package var dicomAssociationCloseDelay = 5
    /// `DicomTlsEnabled` (false) and its keys: DICOM over TLS on the DICOM port.
    package var dicomTLS = DICOMTLSConfiguration()

    /// The DICOM TLS keys of Orthanc.
    package struct DICOMTLSConfiguration: Sendable, Equatable {
        /// `DicomTlsEnabled` (false).
        package var enabled = false
        /// `DicomTlsCertificate`: PEM certificate of Atrium.
        package var certificate: String?
        /// `DicomTlsPrivateKey`: PEM private key of Atrium.
        package var privateKey: String?
        /// `DicomTlsTrustedCertificates`: PEM certificates of the modalities trusted.
        package var trustedCertificates: String?
        /// `DicomTlsRemoteCertificateRequired` (true): peers must present a trusted certificate.
        package var remoteCertificateRequired = true
        /// `DicomTlsMinimumProtocolVersion` (0: the BCP 195 profile, TLS 1.2 or later; 1–5 as Orthanc 1.12.4).
        package var minimumProtocolVersion = 0
        /// `DicomTlsCiphersAccepted` ([]): TLS 1.2 cipher suites by IANA name, with a version from 1 to 5.
        package var ciphersAccepted: [String] = []

        package init() {}
    }

    /// The association limit in force.
    package var effectiveMaximumConcurrentAssociations: Int {
        maximumConcurrentAssociations > 0 ? maximumConcurrentAssociations : 16 * max(1, dicomThreadsCount)
    }
    /// `StorageDirectory` (`./atrium-data/imaging`): the storage area.
    package var storageDirectory = "./atrium-data/imaging"
    /// `IndexDirectory` (the storage directory): where the SQLite index lives.
    package var indexDirectory: String?
    /// `PostgreSQL`: the PostgreSQL server of the index, when its `EnableIndex` is set.
    package var postgreSQL = PostgreSQLSettings()
    /// `StorageCompression` (false): zlib-compress new files in Orthanc's format.
    package var storageCompression = false
    /// `SyncStorageArea` (true): a file is durable on disk before its instance is acknowledged; false trades that
    /// promise for speed, as in Orthanc.
    package var syncStorageArea = true
    /// `OverwriteInstances` (Never; `true`/`false` accepted).
    package var overwriteInstances = OverwriteMode.never
    /// `LimitFindResults` (0 = no limit): at most this many patients, studies or series per find.
    package var limitFindResults = 0
    /// `LimitFindInstances` (0 = no limit): at most this many instances per find.
    package var limitFindInstances = 0
    /// `StorageAccessOnFind` ("Always").
    package var storageAccessOnFind = StorageAccessOnFind.always
    /// `MaximumStorageSize` (0 = no limit), in megabytes.
    package var maximumStorageSizeMB = 0
    /// `MaximumPatientCount` (0 = no limit).
    package var maximumPatientCount = 0
    /// `MaximumStorageCacheSize` (128; 0 disables it), in megabytes: the in-memory cache of read files.
    package var maximumStorageCacheSizeMB = 128
    /// `MaximumStorageMode` ("Recycle").
    package var maximumStorageMode = MaximumStorageMode.recycle
    /// `StableAge` (60): seconds without new instances before a resource becomes stable.
    package var stableAge = 60
    /// `RemoteAccessAllowed` (false): listen on every interface instead of loopback only.
    package var remoteAccessAllowed = false
    /// `AuthenticationEnabled` (unset: equal to `RemoteAccessAllowed`).
    package var authenticationEnabled: Bool?
    /// `RegisteredUsers` ({}): user name to password, or to `sha256:` and the hexadecimal SHA-256 of it.
    package var registeredUsers: [String: String] = [:]
    /// `JobsHistorySize` (10): finished jobs kept for `/jobs`, with their outputs; older ones are removed.
    package var jobsHistorySize = 10
    /// `ConcurrentJobs` (2): jobs run at the same time (at least one).
    package var concurrentJobs = 2
    /// `TemporaryDirectory` (the system's temporary folder): where asynchronous archives are written.
    package var temporaryDirectory: String?
    /// `KeepAlive` (true): keep HTTP connections open between requests.
    package var keepAlive = true
    /// `TcpNoDelay` (true): disable Nagle's algorithm on HTTP connections.
    package var tcpNoDelay = true
    /// `MaximumRequestBodySizeMB` (8192): larger request bodies are refused.
    package var maximumRequestBodySizeMB = 8192
    /// `StoreMD5ForAttachments` (true): shown by `/system`; Atrium always records MD5.
    package var storeMD5ForAttachments = true

    /// `CheckRevisions` (false): whether changing or deleting existing metadata or attachments needs `If-Match`.
    package var checkRevisions = false
    /// `UserContentType` ({}): names of user-defined attachment types (1024 to 65535), with their MIME type.
    package var userContentTypes: [String: UserContentType] = [:]

    /// A user-defined attachment type named in `UserContentType`.
    package struct UserContentType: Sendable, Equatable {
        package let number: Int
        /// The `Content-Type` of its `data` (`application/octet-stream` by default).
        package let mimeType: String?
    }

    package init() {}

    /// Whether HTTP Basic authentication is required.
    package var requiresAuthentication: Bool { authenticationEnabled ?? remoteAccessAllowed }

    /// The folder of the SQLite index.
    package var effectiveIndexDirectory: String { indexDirectory ?? storageDirectory }

    /// The address the HTTP server binds to.
    package var httpBindHost: String { remoteAccessAllowed ? "0.0.0.0" : "127.0.0.1" }
}
