import NIOCore
import Persistence

extension OrthancRouter {
    /// `GET /{patients|studies|series}/{id}/archive`: a ZIP of the resource's instances, streamed.
    func archive(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard try await context.index.resource(id, level: level) != nil else { return .notFound }
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
        guard body["Asynchronous"]?.boolValue != true else {
            throw OrthancError(.notImplemented, "asynchronous archives (jobs) are not available")
        }
        return try await archiveResponse(of: resources, filename: "archive.zip")
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
