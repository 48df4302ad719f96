import Foundation
import NIOCore
import Persistence

extension OrthancRouter {
    /// `GET` or `POST /{patients|studies|series}/{id}/archive`: a ZIP of the resource's instances, streamed, or
    /// a job writing it when a `POST` body asks for `"Asynchronous": true`.
    func archive(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard try await context.index.resource(id, level: level) != nil else { throw OrthancError(.unknownResource) }
        if request.method == .post, request.body.readableBytes > 0 {
            let body = try request.jsonBody()
            guard body.objectValue != nil else { throw OrthancError(.badRequest, "expected a JSON object") }
            if Self.isAsynchronous(body) {
                return try await submitArchiveJob(of: [(level, id)], priority: Self.priority(body))
            }
        }
        let filename = request.query["filename"] ?? "\(id.value).zip"
        return try await archiveResponse(of: [(level, id)], filename: filename)
    }

    /// `POST /tools/create-archive`: `{"Resources": [ids]}` or a bare array of IDs, of any levels.
    func createArchive(_ request: RESTRequest) async throws -> RESTResponse {
        // Orthanc 1.10.1 answers these texts with `Bad file format`, a body that is no JSON included.
        guard let body = try? request.jsonBody(), body.objectValue != nil || body.arrayValue != nil else {
            throw OrthancError(.badFileFormat, "Expected a list of resources to archive in the body")
        }
        guard let items = (body["Resources"] ?? body).arrayValue else {
            throw OrthancError(.badFileFormat, "Expected a list of strings (Orthanc identifiers)")
        }
        var resources: [(ResourceLevel, OrthancID)] = []
        for item in items {
            guard let text = item.stringValue else {
                throw OrthancError(.badFileFormat, "Expected a list of strings (Orthanc identifiers)")
            }
            let id = OrthancID(text)
            var found: ResourceLevel?
            for level in ResourceLevel.allCases where try await context.index.resource(id, level: level) != nil {
                found = level
                break
            }
            guard let level = found else { throw OrthancError(.unknownResource) }
            resources.append((level, id))
        }
        if Self.isAsynchronous(body) {
            return try await submitArchiveJob(of: resources, priority: Self.priority(body))
        }
        return try await archiveResponse(of: resources, filename: "Archive.zip")
    }

    /// Whether a body asks for a job: `"Asynchronous": true` or `"Synchronous": false`.
    static func isAsynchronous(_ body: JSONValue) -> Bool {
        body["Asynchronous"]?.boolValue == true || body["Synchronous"]?.boolValue == false
    }

    /// The `Priority` of a job request (0 by default).
    static func priority(_ body: JSONValue) -> Int {
        body["Priority"]?.intValue.map { Int($0) } ?? 0
    }

    /// Submits an `Archive` job that writes the ZIP to a file of the temporary folder, entry by entry, and
    /// answers `{"ID", "Path"}` as Orthanc does; `GET /jobs/{id}/archive` then serves the file.
    private func submitArchiveJob(of resources: [(ResourceLevel, OrthancID)], priority: Int) async throws
        -> RESTResponse
    {
        let index = context.index
        let storage = context.storage
        let folder = context.configuration.temporaryDirectory ?? FileManager.default.temporaryDirectory.path
        let router = self
        let id = await jobs.submit(type: "Archive", priority: priority, content: ["Description": "REST API"]) {
            handle in
            let entries = try await router.archiveEntries(of: resources)
            let path = folder + "/atrium-archive-" + handle.id + ".zip"
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let file = FileHandle(forWritingAtPath: path)
            else { throw OrthancError(.cannotWriteFile, "cannot create the archive file") }
            do {
                defer { try? file.close() }
                var writer = ZipArchiveWriter()
                var archiveSize: Int64 = 0
                var uncompressedSize: Int64 = 0
                var count: Int64 = 0
                for (number, (instance, name)) in entries.enumerated() {
                    try await handle.report(Double(number) / Double(entries.count))
                    guard let dicom = try await index.dicomFile(of: instance) else { continue }
                    let bytes = try storage.read(uuid: dicom.uuid, compression: dicom.compression)
                    uncompressedSize += Int64(bytes.readableBytes)
                    let entry = writer.entry(named: name, contents: bytes)
                    archiveSize += Int64(entry.readableBytes)
                    try file.write(contentsOf: Data(entry.readableBytesView))
                    count += 1
                }
                let end = writer.finish()
                archiveSize += Int64(end.readableBytes)
                try file.write(contentsOf: Data(end.readableBytesView))
                let megabyte: Int64 = 1024 * 1024
                return JobOutput(
                    path: path,
                    content: [
                        "ArchiveSize": .string(String(archiveSize)), "ArchiveSizeMB": .int(archiveSize / megabyte),
                        "InstancesCount": .int(count), "UncompressedSize": .string(String(uncompressedSize)),
                        "UncompressedSizeMB": .int(uncompressedSize / megabyte),
                    ])
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }
        return .json(["ID": .string(id), "Path": .string("/jobs/" + id)])
    }

    private func archiveResponse(of resources: [(ResourceLevel, OrthancID)], filename: String) async throws
        -> RESTResponse
    {
        let index = context.index
        let storage = context.storage
        let entries = try await archiveEntries(of: resources)
        return RESTResponse(
            status: 200, contentType: "application/zip",
            headers: [("Content-Disposition", "filename=\"\(filename)\"")],
            body: .stream { write in
                var writer = ZipArchiveWriter()
                for (instance, name) in entries {
                    guard let file = try await index.dicomFile(of: instance) else { continue }
                    let bytes = try storage.read(uuid: file.uuid, compression: file.compression)
                    try await write(writer.entry(named: name, contents: bytes))
                }
                try await write(writer.finish())
            })
    }

    /// The instances under `resources` with their entry names (``ArchiveLayout``), in archive order.
    private func archiveEntries(of resources: [(ResourceLevel, OrthancID)]) async throws
        -> [(instance: OrthancID, name: String)]
    {
        var items: [ArchiveLayout.Item] = []
        var summaries: [String: ResourceSummary] = [:]
        func lookUp(_ id: OrthancID, _ level: ResourceLevel) async throws -> ResourceSummary? {
            if let known = summaries[id.value] { return known }
            let found = try await context.index.resource(id, level: level)
            summaries[id.value] = found
            return found
        }
        for (level, id) in resources {
            for instance in try await context.index.descendants(of: id, level: level, at: .instance) ?? [] {
                guard let record = try await lookUp(instance, .instance),
                    let seriesID = record.parent,
                    let series = try await lookUp(seriesID, .series),
                    let studyID = series.parent,
                    let study = try await lookUp(studyID, .study),
                    let patientID = study.parent
                else { continue }
                items.append(
                    ArchiveLayout.Item(
                        patient: patientID, study: studyID, series: seriesID, instance: instance,
                        studyTags: study.tags, seriesTags: series.tags))
            }
        }
        return ArchiveLayout(items).entries
    }
}
