import DICOM
import NIOCore

extension OrthancRouter {
    /// `GET /system`.
    func system() async throws -> RESTResponse {
        let configuration = context.configuration
        let mainTags: JSONValue = .object(
            Dictionary(
                uniqueKeysWithValues: ResourceLevel.allCases.map { level in
                    (level.name, JSONValue.string(MainDicomTag.signature(of: level)))
                }))
        return .json([
            "ApiVersion": 31,
            "Version": "1.13.0",
            "Name": .string(configuration.name),
            "DicomAet": .string(configuration.dicomAET),
            "DicomPort": .int(Int64(configuration.dicomPort)),
            "HttpPort": .int(Int64(configuration.httpPort)),
            "DatabaseVersion": 6,
            "DatabaseBackendPlugin": nil,
            "StorageAreaPlugin": nil,
            "PluginsEnabled": false,
            "IsHttpServerSecure": .bool(configuration.requiresAuthentication || !configuration.remoteAccessAllowed),
            "CheckRevisions": .bool(configuration.checkRevisions),
            "StorageCompression": .bool(configuration.storageCompression),
            "StoreMD5ForAttachments": true,
            "OverwriteInstances": .bool(configuration.overwriteInstances != .never),
            "OverwriteInstancesMode": .string(configuration.overwriteInstances.rawValue),
            "IngestTranscoding": "",
            "MaximumStorageSize": .int(Int64(configuration.maximumStorageSizeMB)),
            "MaximumStorageMode": .string(configuration.maximumStorageMode.rawValue),
            "MaximumPatientCount": .int(Int64(configuration.maximumPatientCount)),
            "DatabaseServerIdentifier": "Atrium",
            "ReadOnly": false,
            "HasLabels": true,
            "MainDicomTags": mainTags,
            "UserMetadata": .object([:]),
            "Capabilities": [
                "HasExtendedChanges": false, "HasExtendedFind": false, "HasKeyValueStores": false,
                "HasQueues": false, "HasReserveQueueValue": false,
            ],
        ])
    }

    /// `GET /statistics`: counts as integers, sizes as strings plus rounded megabytes.
    func statistics() async throws -> RESTResponse {
        let statistics = try await context.index.statistics()
        return .json([
            "CountPatients": .int(statistics.patients),
            "CountStudies": .int(statistics.studies),
            "CountSeries": .int(statistics.series),
            "CountInstances": .int(statistics.instances),
            "TotalDiskSize": .string(String(statistics.compressedSize)),
            "TotalUncompressedSize": .string(String(statistics.uncompressedSize)),
            "TotalDiskSizeMB": .int(statistics.compressedSize / (1024 * 1024)),
            "TotalUncompressedSizeMB": .int(statistics.uncompressedSize / (1024 * 1024)),
        ])
    }

    /// `GET /changes?since=&limit=` (default limit 100, at most 10000), `?last`, and `DELETE /changes`.
    func changes(_ request: RESTRequest) async throws -> RESTResponse {
        if request.method == .delete {
            try await context.index.clearChanges()
            return .emptyObject
        }
        let records: [ChangeRecord]
        let done: Bool
        let last: Int64
        if request.query["last"] != nil {
            (records, last) = try await context.index.lastChange()
            done = true
        } else {
            let since = try request.integer("since") ?? 0
            let limit = min(try request.integer("limit") ?? 100, 10000)
            (records, done, last) = try await context.index.changes(since: Int64(since), limit: limit)
        }
        let changes: [JSONValue] = records.map { record in
            [
                "ChangeType": .string(ChangeType(rawValue: record.change)?.name ?? String(record.change)),
                "Date": .string(record.date),
                "ID": .string(record.id.value),
                "Path": .string("/\(record.level.routeSegment)/\(record.id.value)"),
                "ResourceType": .string(record.level.name),
                "Seq": .int(record.seq),
            ]
        }
        return .json(["Changes": .array(changes), "Done": .bool(done), "Last": .int(last)])
    }

    /// `GET /exports` and `DELETE /exports`.
    func exports(_ request: RESTRequest) async throws -> RESTResponse {
        if request.method == .delete {
            try await context.index.clearExports()
            return .emptyObject
        }
        let since = try request.integer("since") ?? 0
        let limit = min(try request.integer("limit") ?? 100, 10000)
        let (rows, done, last) = try await context.index.exports(since: Int64(since), limit: limit)
        let exports: [JSONValue] = rows.map { record in
            var members: [String: JSONValue] = [
                "Seq": .int(record.seq), "ResourceType": .string(record.level.name), "ID": .string(record.id.value),
                "Path": .string("/\(record.level.routeSegment)/\(record.id.value)"),
                "RemoteModality": .string(record.remoteModality), "Date": .string(record.date),
            ]
            let optional = [
                ("PatientID", record.patientID), ("StudyInstanceUID", record.studyInstanceUID),
                ("SeriesInstanceUID", record.seriesInstanceUID), ("SOPInstanceUID", record.sopInstanceUID),
            ]
            for (key, value) in optional {
                if let value { members[key] = .string(value) }
            }
            return .object(members)
        }
        return .json(["Exports": .array(exports), "Done": .bool(done), "Last": .int(last)])
    }

    /// `GET /tools/generate-uid?level=patient|study|series|instance`.
    func generateUID(_ request: RESTRequest) throws -> RESTResponse {
        guard let levelName = request.query["level"], ResourceLevel(name: levelName) != nil else {
            throw OrthancError(.parameterOutOfRange, "the level argument must be patient, study, series or instance")
        }
        return .text(UIDGenerator.makeUID())
    }

    /// `GET /tools/labels`.
    func allLabels() async throws -> RESTResponse {
        .json(.array(try await context.index.allLabels().map { .string($0) }))
    }
}
