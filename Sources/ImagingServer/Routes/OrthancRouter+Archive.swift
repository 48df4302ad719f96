import Foundation
import NIOCore
import Persistence

extension OrthancRouter {
    /// `GET` or `POST /{patients|studies|series}/{id}/archive`: a ZIP of the resource's instances, streamed, or
    /// a job writing it when a `POST` body asks for `"Asynchronous": true`.
    func archive(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard try await context.index.resource(id, level: level) != nil else { return .notFound }
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
        let body = try request.jsonBody()
        guard let items = (body["Resources"] ?? body).arrayValue else {
            throw OrthancError(.badRequest, "expected a list of resources")
        }
        var resources: [(ResourceLevel, OrthancID)] = []
        for item in items {
            guard let text = item.stringValue else { throw OrthancError(.badRequest, "expected resource IDs") }
            let id = OrthancID(text)
            var found: ResourceLevel?
            for level in ResourceLevel.allCases where try await context.index.resource(id, level: level) != nil {
                found = level
                break
            }
            guard let level = found else { throw OrthancError(.unknownResource, "unknown resource \(text)") }
            resources.append((level, id))
        }
        if Self.isAsynchronous(body) {
            return try await submitArchiveJob(of: resources, priority: Self.priority(body))
        }
        return try await archiveResponse(of: resources, filename: "archive.zip")
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
            var instances: [OrthancID] = []
            for (level, id) in resources {
                instances += try await index.descendants(of: id, level: level, at: .instance) ?? []
            }
            let names = try await router.archivePaths(of: instances)
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
                for (number, (instance, name)) in zip(instances, names).enumerated() {
                    try await handle.report(Double(number) / Double(instances.count))
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
        var instances: [OrthancID] = []
        for (level, id) in resources {
            instances += try await context.index.descendants(of: id, level: level, at: .instance) ?? []
        }
        let index = context.index
        let storage = context.storage
        let names = try await archivePaths(of: instances)
        let entries = Array(zip(instances, names))
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

    /// Folder names in the archive: `PatientID PatientName/StudyDate StudyDescription/Modality SeriesNumber
    /// SeriesDescription/` and a numbered file per instance of a series.
    private func archivePaths(of instances: [OrthancID]) async throws -> [String] {
        var paths: [String] = []
        var counters: [String: Int] = [:]
        for instance in instances {
            guard let summary = try await context.index.resource(instance, level: .instance),
                let seriesID = summary.parent,
                let series = try await context.index.resource(seriesID, level: .series),
                let studyID = series.parent,
                let study = try await context.index.resource(studyID, level: .study)
            else {
                paths.append(instance.value + ".dcm")
                continue
            }
            func tag(_ summary: ResourceSummary, _ number: UInt32) -> String { summary.tags[number] ?? "" }
            let patientFolder = Self.folderName(
                [tag(study, 0x0010_0020), tag(study, 0x0010_0010)], fallback: "Patient")
            let studyFolder = Self.folderName([tag(study, 0x0008_0020), tag(study, 0x0008_1030)], fallback: "Study")
            let modality = tag(series, 0x0008_0060)
            let seriesFolder = Self.folderName(
                [modality, tag(series, 0x0020_0011), tag(series, 0x0008_103E)], fallback: "Series")
            let folder = "\(patientFolder)/\(studyFolder)/\(seriesFolder)"
            let number = counters[folder, default: 0]
            counters[folder] = number + 1
            let digits = String(number)
            let prefix = Self.folderName([modality], fallback: "IM").replacingSpaces()
            paths.append("\(folder)/\(prefix)\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits).dcm")
        }
        return paths
    }

    static func folderName(_ parts: [String], fallback: String) -> String {
        let text = parts.filter { !$0.isEmpty }.joined(separator: " ")
        let cleaned = String(
            text.unicodeScalars.map { scalar -> Character in
                if scalar.value < 0x20 || "/\\:*?\"<>|".unicodeScalars.contains(scalar) { return "_" }
                return Character(scalar)
            }
        ).trimmingTrailingSpaces()
        return cleaned.isEmpty ? fallback : String(cleaned.prefix(64))
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        while text.first == " " { text.removeFirst() }
        return text
    }

    fileprivate func replacingSpaces() -> String {
        String(map { $0 == " " ? "_" : $0 })
    }
}
