import Testing

@testable import ImagingServer

@Suite struct ImagingConfigurationTests {
    @Test func defaults() throws {
        let (configuration, ignored) = try ImagingConfiguration.parse([:])
        #expect(configuration.httpPort == 8042)
        #expect(configuration.httpBindHost == "127.0.0.1")
        #expect(configuration.storageDirectory == "./atrium-data/imaging")
        #expect(configuration.effectiveIndexDirectory == "./atrium-data/imaging")
        #expect(configuration.overwriteInstances == .never)
        #expect(configuration.stableAge == 60)
        #expect(configuration.syncStorageArea)
        #expect(!configuration.requiresAuthentication)
        #expect(ignored.isEmpty)
    }

    @Test func orthancKeys() throws {
        let (configuration, ignored) = try ImagingConfiguration.parse([
            "HttpPort": 9042, "StorageDirectory": "/data/s", "IndexDirectory": "/data/i", "StorageCompression": true,
            "SyncStorageArea": false, "OverwriteInstances": true, "LimitFindResults": 10, "LimitFindInstances": 20,
            "StorageAccessOnFind": "Never", "MaximumStorageSize": 100, "MaximumPatientCount": 5,
            "MaximumStorageMode": "Reject", "StableAge": 2, "RemoteAccessAllowed": true,
            "RegisteredUsers": ["alice": "secret"], "KeepAlive": false, "TcpNoDelay": false,
            "DicomModalities": [:], "SomeFutureKey": 1, "ContextBroker": ["Port": 1026],
        ])
        #expect(configuration.httpPort == 9042)
        #expect(configuration.storageDirectory == "/data/s")
        #expect(configuration.effectiveIndexDirectory == "/data/i")
        #expect(configuration.storageCompression)
        #expect(!configuration.syncStorageArea)
        #expect(configuration.overwriteInstances == .always)
        #expect(configuration.limitFindResults == 10)
        #expect(configuration.limitFindInstances == 20)
        #expect(configuration.storageAccessOnFind == .never)
        #expect(configuration.maximumStorageSizeMB == 100)
        #expect(configuration.maximumPatientCount == 5)
        #expect(configuration.maximumStorageMode == .reject)
        #expect(configuration.stableAge == 2)
        #expect(configuration.httpBindHost == "0.0.0.0")
        #expect(configuration.requiresAuthentication)
        #expect(configuration.registeredUsers == ["alice": "secret"])
        #expect(!configuration.keepAlive)
        #expect(!configuration.tcpNoDelay)
        #expect(ignored == ["SomeFutureKey"])
    }

    @Test func dicomNetworkKeys() throws {
        let defaults = try ImagingConfiguration.parse([:]).0
        #expect(defaults.dicomAET == "ORTHANC")
        #expect(defaults.dicomPort == 4242)
        #expect(defaults.maximumPDULength == 16384)
        #expect(defaults.dicomAlwaysAllowEcho && defaults.dicomAlwaysAllowStore)
        #expect(!defaults.dicomAlwaysAllowFind && !defaults.dicomAlwaysAllowMove && !defaults.dicomAlwaysAllowGet)
        #expect(defaults.acceptedTransferSyntaxes == ["1.2.840.10008.1.*"])
        #expect(defaults.effectiveMaximumConcurrentAssociations == 64)
        let (configuration, ignored) = try ImagingConfiguration.parse([
            "DicomModalities": [
                "short": ["STORESCP", "127.0.0.1", 2000],
                "long": ["AET": "PACS", "Host": "10.0.0.1", "Port": "104", "AllowMove": false, "Manufacturer": "GE"],
            ],
            "DicomCheckCalledAet": true, "MaximumPduLength": 65536, "AcceptedTransferSyntaxes": "1.2.840.10008.1.2",
            "UnknownSopClassAccepted": true, "DicomScpTimeout": 5, "DicomTlsEnabled": true,
        ])
        #expect(ignored.isEmpty)
        #expect(
            configuration.dicomModalities["short"]
                == RemoteModality(
                    applicationEntityTitle: "STORESCP", host: "127.0.0.1", port: 2000))
        let long = try #require(configuration.dicomModalities["long"])
        #expect(long.port == 104 && long.host == "10.0.0.1" && !long.allowMove && long.allowStore)
        #expect(long.manufacturer == "GE")
        #expect(configuration.dicomCheckCalledAET)
        #expect(configuration.maximumPDULength == 65536)
        #expect(configuration.acceptedTransferSyntaxes == ["1.2.840.10008.1.2"])
        #expect(configuration.unknownSOPClassAccepted)
        #expect(configuration.dicomSCPTimeout == 5)
        #expect(configuration.dicomTLS.enabled)
        #expect(throws: OrthancError.self) { try ImagingConfiguration.parse(["MaximumPduLength": 100]) }
        #expect(throws: OrthancError.self) { try ImagingConfiguration.parse(["DicomModalities": ["x": ["A", 1]]]) }
    }

    @Test func jobsKeys() throws {
        let defaults = try ImagingConfiguration.parse([:]).0
        #expect(defaults.jobsHistorySize == 10)
        #expect(defaults.concurrentJobs == 2)
        #expect(defaults.temporaryDirectory == nil)
        let (configuration, ignored) = try ImagingConfiguration.parse([
            "JobsHistorySize": 3, "ConcurrentJobs": 0, "TemporaryDirectory": "/data/tmp",
        ])
        #expect(configuration.jobsHistorySize == 3)
        #expect(configuration.concurrentJobs == 1)
        #expect(configuration.temporaryDirectory == "/data/tmp")
        #expect(ignored.isEmpty)
    }

    @Test func postgreSQLSection() throws {
        let defaults = try ImagingConfiguration.parse([:]).0.postgreSQL
        #expect(defaults == PostgreSQLSettings())
        #expect(!defaults.enableIndex)
        #expect(defaults.indexConnectionsCount == 50)
        #expect(defaults.transactionMode == .readCommitted)
        let (configuration, ignored) = try ImagingConfiguration.parse([
            "PostgreSQL": [
                "EnableIndex": true, "EnableStorage": false, "Host": "db", "Port": 6543, "Database": "pacs",
                "Username": "orthanc", "Password": "secret", "IndexConnectionsCount": 8,
                "MaximumConnectionRetries": 3, "TransactionMode": "Serializable", "Lock": false,
            ]
        ])
        #expect(ignored.isEmpty)
        let settings = configuration.postgreSQL
        #expect(settings.enableIndex)
        #expect(settings.host == "db")
        #expect(settings.port == 6543)
        #expect(settings.database == "pacs")
        #expect(settings.username == "orthanc")
        #expect(settings.password == "secret")
        #expect(settings.indexConnectionsCount == 8)
        #expect(settings.maximumConnectionRetries == 3)
        #expect(settings.transactionMode == .serializable)
        #expect(!settings.lock)
        #expect(throws: OrthancError(.badParameterType)) { try ImagingConfiguration.parse(["PostgreSQL": 1]) }
        #expect(throws: OrthancError(.badParameterType)) {
            try ImagingConfiguration.parse(["PostgreSQL": ["Port": "5432"]])
        }
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try ImagingConfiguration.parse(["PostgreSQL": ["Port": 0]])
        }
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try ImagingConfiguration.parse(["PostgreSQL": ["IndexConnectionsCount": 0]])
        }
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try ImagingConfiguration.parse(["PostgreSQL": ["TransactionMode": "Snapshot"]])
        }
        // Files in PostgreSQL large objects are not supported: refused rather than silently kept on disk.
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try ImagingConfiguration.parse(["PostgreSQL": ["EnableStorage": true]])
        }
    }

    @Test func revisionsAndUserContentTypes() throws {
        let (configuration, ignored) = try ImagingConfiguration.parse([
            "CheckRevisions": true, "UserContentType": ["report": [1030, "application/pdf"], "notes": 1031],
        ])
        #expect(configuration.checkRevisions)
        #expect(configuration.userContentTypes["report"] == .init(number: 1030, mimeType: "application/pdf"))
        #expect(configuration.userContentTypes["notes"] == .init(number: 1031, mimeType: nil))
        #expect(ignored.isEmpty)
        #expect(try ImagingConfiguration.parse([:]).0.checkRevisions == false)
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try ImagingConfiguration.parse(["UserContentType": ["low": 12]])
        }
        #expect(throws: OrthancError(.badParameterType)) { try ImagingConfiguration.parse(["UserContentType": 1]) }
    }

    @Test func storageCacheSize() throws {
        #expect(try ImagingConfiguration.parse([:]).0.maximumStorageCacheSizeMB == 128)
        let (configuration, ignored) = try ImagingConfiguration.parse(["MaximumStorageCacheSize": 512])
        #expect(configuration.maximumStorageCacheSizeMB == 512)
        #expect(ignored.isEmpty)
        #expect(try ImagingConfiguration.parse(["MaximumStorageCacheSize": 0]).0.maximumStorageCacheSizeMB == 0)
        #expect(try ImagingConfiguration.parse(["MaximumStorageCacheSize": -3]).0.maximumStorageCacheSizeMB == 0)
        #expect(throws: OrthancError(.badParameterType)) {
            try ImagingConfiguration.parse(["MaximumStorageCacheSize": "128"])
        }
    }

    @Test func overwriteModes() throws {
        #expect(try ImagingConfiguration.parse(["OverwriteInstances": "IfChanged"]).0.overwriteInstances == .ifChanged)
        #expect(try ImagingConfiguration.parse(["OverwriteInstances": false]).0.overwriteInstances == .never)
        #expect(throws: OrthancError(.parameterOutOfRange)) {
            try ImagingConfiguration.parse(["OverwriteInstances": "Sometimes"])
        }
    }

    @Test func authenticationCanBeForcedOnLoopback() throws {
        let (configuration, _) = try ImagingConfiguration.parse(["AuthenticationEnabled": true])
        #expect(configuration.requiresAuthentication)
        #expect(configuration.httpBindHost == "127.0.0.1")
    }

    @Test func wrongTypesAreRefused() {
        #expect(throws: OrthancError(.badParameterType)) { try ImagingConfiguration.parse(["HttpPort": "8042"]) }
        #expect(throws: OrthancError(.badParameterType)) { try ImagingConfiguration.parse(["StableAge": true]) }
    }
}
