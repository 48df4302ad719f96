extension ImagingConfiguration {
    /// The configuration keys the imaging server reads.
    package static let knownKeys: Set<String> = [
        "Name", "HttpPort", "DicomAet", "DicomPort", "StorageDirectory", "IndexDirectory", "StorageCompression",
        "SyncStorageArea",
        "OverwriteInstances", "LimitFindResults", "LimitFindInstances", "StorageAccessOnFind", "MaximumStorageSize",
        "MaximumPatientCount", "MaximumStorageMode", "StableAge", "RemoteAccessAllowed", "AuthenticationEnabled",
        "RegisteredUsers", "KeepAlive", "TcpNoDelay", "MaximumRequestBodySizeMB", "StoreMD5ForAttachments",
        "CheckRevisions", "UserContentType", "JobsHistorySize", "ConcurrentJobs", "TemporaryDirectory",
        "MaximumStorageCacheSize", "DicomServerEnabled", "DicomModalities", "DicomModalitiesInDatabase",
        "DicomCheckCalledAet", "StrictAetComparison", "DicomAlwaysAllowEcho", "DicomAlwaysAllowStore",
        "DicomAlwaysAllowFind", "DicomAlwaysAllowFindWorklist", "DicomAlwaysAllowGet", "DicomAlwaysAllowMove",
        "DicomCheckModalityHost", "DicomScpTimeout", "DicomScuTimeout", "MaximumPduLength", "UnknownSopClassAccepted",
        "AcceptedTransferSyntaxes", "DicomThreadsCount", "MaximumConcurrentAssociations",
        "DicomStreamedStoreThresholdKB",
        "DicomAssociationCloseDelay", "DicomTlsEnabled", "DicomTlsCertificate", "DicomTlsPrivateKey",
        "DicomTlsTrustedCertificates", "DicomTlsRemoteCertificateRequired", "DicomTlsMinimumProtocolVersion",
        "DicomTlsCiphersAccepted", "PostgreSQL",
    ]

    /// Keys that belong to other parts of Atrium and are never reported as unknown.
    package static let foreignKeys: Set<String> = ["ContextBroker"]

    /// Reads the imaging server's keys of a configuration document.
    ///
    /// - Parameter document: the top-level JSON object of the file.
    /// - Returns: the configuration and the sorted list of keys that were ignored.
    /// - Throws: `OrthancError.badParameterType` naming the key when a known key has a value of the wrong type.
    package static func parse(_ document: [String: JSONValue]) throws -> (ImagingConfiguration, ignoredKeys: [String]) {
        var configuration = ImagingConfiguration()
        let reader = KeyReader(document: document)
        if let value = try reader.string("Name") { configuration.name = value }
        if let value = try reader.int("HttpPort") {
            guard (0...65535).contains(value) else { throw OrthancError(.parameterOutOfRange, "HttpPort") }
            configuration.httpPort = value
        }
        if let value = try reader.string("DicomAet") { configuration.dicomAET = value }
        if let value = try reader.int("DicomPort") {
            guard (0...65535).contains(value) else { throw OrthancError(.parameterOutOfRange, "DicomPort") }
            configuration.dicomPort = value
        }
        try parseDICOMNetwork(document, reader: reader, into: &configuration)
        if let value = try reader.string("StorageDirectory") { configuration.storageDirectory = value }
        if let value = try reader.string("IndexDirectory") { configuration.indexDirectory = value }
        if let section = document["PostgreSQL"] { configuration.postgreSQL = try PostgreSQLSettings(json: section) }
        if let value = try reader.bool("StorageCompression") { configuration.storageCompression = value }
        if let value = try reader.bool("SyncStorageArea") { configuration.syncStorageArea = value }
        if let raw = document["OverwriteInstances"] {
            switch raw {
            case .bool(let value): configuration.overwriteInstances = value ? .always : .never
            case .string(let text):
                guard let mode = OverwriteMode(rawValue: text) else {
                    throw OrthancError(.parameterOutOfRange, "OverwriteInstances")
                }
                configuration.overwriteInstances = mode
            default: throw OrthancError(.badParameterType, "OverwriteInstances")
            }
        }
        if let value = try reader.int("LimitFindResults") { configuration.limitFindResults = max(0, value) }
        if let value = try reader.int("LimitFindInstances") { configuration.limitFindInstances = max(0, value) }
        if let text = try reader.string("StorageAccessOnFind") {
            guard let mode = StorageAccessOnFind(rawValue: text) else {
                throw OrthancError(.parameterOutOfRange, "StorageAccessOnFind")
            }
            configuration.storageAccessOnFind = mode
        }
        if let value = try reader.int("MaximumStorageSize") { configuration.maximumStorageSizeMB = max(0, value) }
        if let value = try reader.int("MaximumPatientCount") { configuration.maximumPatientCount = max(0, value) }
        if let value = try reader.int("MaximumStorageCacheSize") {
            configuration.maximumStorageCacheSizeMB = max(0, value)
        }
        if let text = try reader.string("MaximumStorageMode") {
            guard let mode = MaximumStorageMode(rawValue: text) else {
                throw OrthancError(.parameterOutOfRange, "MaximumStorageMode")
            }
            configuration.maximumStorageMode = mode
        }
        if let value = try reader.int("StableAge") { configuration.stableAge = max(0, value) }
        if let value = try reader.bool("RemoteAccessAllowed") { configuration.remoteAccessAllowed = value }
        if let value = try reader.bool("AuthenticationEnabled") { configuration.authenticationEnabled = value }
        if let raw = document["RegisteredUsers"] {
            guard let members = raw.objectValue else { throw OrthancError(.badParameterType, "RegisteredUsers") }
            for (user, password) in members {
                guard let password = password.stringValue else {
                    throw OrthancError(.badParameterType, "RegisteredUsers")
                }
                configuration.registeredUsers[user] = password
            }
        }
        if let value = try reader.bool("KeepAlive") { configuration.keepAlive = value }
        if let value = try reader.int("JobsHistorySize") { configuration.jobsHistorySize = max(0, value) }
        if let value = try reader.int("ConcurrentJobs") { configuration.concurrentJobs = max(1, value) }
        if let value = try reader.string("TemporaryDirectory") { configuration.temporaryDirectory = value }
        if let value = try reader.bool("TcpNoDelay") { configuration.tcpNoDelay = value }
        if let value = try reader.int("MaximumRequestBodySizeMB") {
            configuration.maximumRequestBodySizeMB = max(0, value)
        }
        if let value = try reader.bool("StoreMD5ForAttachments") { configuration.storeMD5ForAttachments = value }
        if let value = try reader.bool("CheckRevisions") { configuration.checkRevisions = value }
        if let raw = document["UserContentType"] {
            guard let members = raw.objectValue else { throw OrthancError(.badParameterType, "UserContentType") }
            for (name, value) in members {
                let number: Int64?
                var mimeType: String?
                if let items = value.arrayValue, items.count == 2 {
                    number = items[0].intValue
                    mimeType = items[1].stringValue
                    guard mimeType != nil else { throw OrthancError(.badParameterType, "UserContentType") }
                } else {
                    number = value.intValue
                }
                guard let number, (1024...65535).contains(number) else {
                    throw OrthancError(.parameterOutOfRange, "UserContentType")
                }
                configuration.userContentTypes[name] = UserContentType(number: Int(number), mimeType: mimeType)
            }
        }
        let ignored = document.keys.filter { !knownKeys.contains($0) && !foreignKeys.contains($0) }.sorted()
        return (configuration, ignored)
    }
}

extension ImagingConfiguration {
    /// Reads the keys of the DICOM network services.
    fileprivate static func parseDICOMNetwork(
        _ document: [String: JSONValue], reader: KeyReader, into configuration: inout ImagingConfiguration
    ) throws {
        if let value = try reader.bool("DicomServerEnabled") { configuration.dicomServerEnabled = value }
        if let raw = document["DicomModalities"] {
            guard let members = raw.objectValue else { throw OrthancError(.badParameterType, "DicomModalities") }
            for (name, value) in members {
                configuration.dicomModalities[name] = try RemoteModality(json: value)
            }
        }
        if let value = try reader.bool("DicomModalitiesInDatabase") { configuration.dicomModalitiesInDatabase = value }
        if let value = try reader.bool("DicomCheckCalledAet") { configuration.dicomCheckCalledAET = value }
        if let value = try reader.bool("StrictAetComparison") { configuration.strictAETComparison = value }
        if let value = try reader.bool("DicomAlwaysAllowEcho") { configuration.dicomAlwaysAllowEcho = value }
        if let value = try reader.bool("DicomAlwaysAllowStore") { configuration.dicomAlwaysAllowStore = value }
        if let value = try reader.bool("DicomAlwaysAllowFind") { configuration.dicomAlwaysAllowFind = value }
        if let value = try reader.bool("DicomAlwaysAllowFindWorklist") {
            configuration.dicomAlwaysAllowFindWorklist = value
        }
        if let value = try reader.bool("DicomAlwaysAllowGet") { configuration.dicomAlwaysAllowGet = value }
        if let value = try reader.bool("DicomAlwaysAllowMove") { configuration.dicomAlwaysAllowMove = value }
        if let value = try reader.bool("DicomCheckModalityHost") { configuration.dicomCheckModalityHost = value }
        if let value = try reader.int("DicomScpTimeout") { configuration.dicomSCPTimeout = max(0, value) }
        if let value = try reader.int("DicomScuTimeout") { configuration.dicomSCUTimeout = max(0, value) }
        if let value = try reader.int("MaximumPduLength") {
            // Orthanc allows 4096…131072 bytes.
            guard (4096...131072).contains(value) else { throw OrthancError(.parameterOutOfRange, "MaximumPduLength") }
            configuration.maximumPDULength = value
        }
        if let value = try reader.bool("UnknownSopClassAccepted") { configuration.unknownSOPClassAccepted = value }
        if let raw = document["AcceptedTransferSyntaxes"] {
            if let single = raw.stringValue {
                configuration.acceptedTransferSyntaxes = [single]
            } else if let items = raw.arrayValue, let texts = Optional(items.compactMap(\.stringValue)),
                texts.count == items.count
            {
                configuration.acceptedTransferSyntaxes = texts
            } else {
                throw OrthancError(.badParameterType, "AcceptedTransferSyntaxes")
            }
        }
        if let value = try reader.int("DicomThreadsCount") { configuration.dicomThreadsCount = max(1, value) }
        if let value = try reader.int("MaximumConcurrentAssociations") {
            configuration.maximumConcurrentAssociations = max(0, value)
        }
        if let value = try reader.int("DicomStreamedStoreThresholdKB") {
            // At most 1 GiB, the largest data set held in memory.
            configuration.dicomStreamedStoreThresholdKB = min(max(1, value), 1 << 20)
        }
        if let value = try reader.int("DicomAssociationCloseDelay") {
            configuration.dicomAssociationCloseDelay = max(0, value)
        }
        if let value = try reader.bool("DicomTlsEnabled") { configuration.dicomTLS.enabled = value }
        if let value = try reader.string("DicomTlsCertificate") { configuration.dicomTLS.certificate = value }
        if let value = try reader.string("DicomTlsPrivateKey") { configuration.dicomTLS.privateKey = value }
        if let value = try reader.string("DicomTlsTrustedCertificates") {
            configuration.dicomTLS.trustedCertificates = value
        }
        if let value = try reader.bool("DicomTlsRemoteCertificateRequired") {
            configuration.dicomTLS.remoteCertificateRequired = value
        }
        if let value = try reader.int("DicomTlsMinimumProtocolVersion") {
            configuration.dicomTLS.minimumProtocolVersion = value
        }
        if let value = try reader.strings("DicomTlsCiphersAccepted") { configuration.dicomTLS.ciphersAccepted = value }
    }
}

/// Typed access to the members of the configuration object; a wrong type names the key.
fileprivate struct KeyReader {
    let document: [String: JSONValue]

    func string(_ key: String) throws -> String? {
        guard let value = document[key] else { return nil }
        guard let text = value.stringValue else { throw OrthancError(.badParameterType, key) }
        return text
    }

    func int(_ key: String) throws -> Int? {
        guard let value = document[key] else { return nil }
        guard let number = value.intValue else { throw OrthancError(.badParameterType, key) }
        return Int(number)
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = document[key] else { return nil }
        guard let items = value.arrayValue else { throw OrthancError(.badParameterType, key) }
        return try items.map { item in
            guard let text = item.stringValue else { throw OrthancError(.badParameterType, key) }
            return text
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = document[key] else { return nil }
        guard let flag = value.boolValue else { throw OrthancError(.badParameterType, key) }
        return flag
    }
}
