import CompressNIO
import DICOM
import Foundation
import NIOCore
import Persistence

extension OrthancRouter {
    /// Routes that read an instance's DICOM file: `/instances/{id}/file`.
    func routeInstanceContent(level: ResourceLevel, id: OrthancID, _ request: RESTRequest) async throws
        -> RESTResponse?
    {
        guard level == .instance, request.segments.count >= 3 else { return nil }
        if request.segments[2] == "content" {
            return try await allow([.get], request) {
                guard let dataSet = try await parsedDataSet(of: id) else { return .notFound }
                return try InstanceContent.answer(dataSet, path: Array(request.segments.dropFirst(3)))
            }
        }
        if request.segments[2] == "frames", request.segments.count == 4 || request.segments.count == 5 {
            return try await allow([.get], request) { try await frame(id, request) }
        }
        guard request.segments.count == 3 else { return nil }
        switch request.segments[2] {
        case "file":
            return try await allow([.get], request) {
                if let variant = try await fileVariant(id, request) { return variant }
                guard let attachment = try await context.index.dicomFile(of: id) else { return .notFound }
                let body = try await context.fileBody(attachment)
                var headers: [(String, String)] = []
                // A streamed file still announces its length, as a whole one does.
                if case .stream = body { headers.append(("Content-Length", String(attachment.uncompressedSize))) }
                return RESTResponse(contentType: "application/dicom", headers: headers, body: body)
            }
        case "tags":
            return try await allow([.get], request) {
                guard let dataSet = try await parsedDataSet(of: id) else { return .notFound }
                let format: OrthancJSONFormat =
                    request.flag("simplify") ? .simplified : request.flag("short") ? .short : .full
                return orthancJSON(dataSet, format: format, request: request)
            }
        case "simplified-tags":
            return try await allow([.get], request) {
                guard let dataSet = try await parsedDataSet(of: id) else { return .notFound }
                return orthancJSON(dataSet, format: .simplified, request: request)
            }
        case "header":
            return try await allow([.get], request) {
                guard let file = try await parsedFile(of: id) else { return .notFound }
                let format: OrthancJSONFormat =
                    request.flag("simplify") ? .simplified : request.flag("short") ? .short : .full
                return orthancJSON(file.metaInformation, format: format, request: request)
            }
        case "preview", "image-uint8", "image-uint16", "image-int16", "rendered", "numpy", "matlab":
            let name = request.segments[2]
            return try await allow([.get], request) {
                try await decodedRendering(id, rendering: name, frame: nil, request)
            }
        case "frames":
            return try await allow([.get], request) {
                guard let summary = try await context.index.resource(id, level: .instance) else { return .notFound }
                let count = summary.tags[0x0028_0008].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
                return .json(.array((0..<max(count, 1)).map { .int(Int64($0)) }))
            }
        default:
            return nil
        }
    }

    /// `GET /instances/{id}/frames/{n}` (the renderings of a frame), `…/frames/{n}/raw` (its stored bytes),
    /// `…/raw.gz` (them gzipped) and the decoded renderings of ``FrameRenderer``.
    func frame(_ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard let index = Int(request.segments[3]), index >= 0 else { return .notFound }
        if request.segments.count == 4 {
            guard try await context.index.dicomFile(of: id) != nil else { return .notFound }
            return .json(.array(Self.frameRenderings.map { .string($0) }))
        }
        let rendering = request.segments[4]
        guard Self.frameRenderings.contains(rendering) else { throw OrthancError(.unknownResource) }
        if rendering == "raw" || rendering == "raw.gz" {
            guard let file = try await parsedFile(of: id) else { return .notFound }
            let frame = try RawFrame(index: index, of: file.dataSet, transferSyntax: file.transferSyntax)
            guard rendering == "raw.gz" else { return .bytes(frame.bytes, contentType: frame.contentType) }
            var bytes = frame.bytes
            do {
                return .bytes(try bytes.compress(with: .gzip()), contentType: "application/gzip")
            } catch {
                throw OrthancError(.internalError, "the frame cannot be compressed")
            }
        }
        return try await decodedRendering(id, rendering: rendering, frame: index, request)
    }

    /// A decoded rendering of one frame (`/instances/{id}/frames/{n}/{rendering}`), or of frame 0 for the
    /// instance shortcuts (`/instances/{id}/{rendering}`); `numpy` of an instance holds all its frames.
    func decodedRendering(_ id: OrthancID, rendering name: String, frame index: Int?, _ request: RESTRequest)
        async throws -> RESTResponse
    {
        guard let rendering = FrameRenderer.Rendering(rawValue: name) else {
            throw OrthancError(.notImplemented, "Atrium does not render frames as \(name)")
        }
        var jpegQuality: Int?
        if rendering.isImage {
            let accept = request.headers.first(where: { $0.key.lowercased() == "accept" })?.value.lowercased() ?? ""
            let types = accept.split(separator: ",").map {
                $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            }
            let png = accept.isEmpty || types.contains { $0 == "image/png" || $0 == "image/*" || $0 == "*/*" }
            if !png {
                guard types.contains("image/jpeg") else { return .notFound }
                // Orthanc's default quality is 90; a quality out of 1…100 answers 415 with an empty body.
                guard let quality = Int(request.query["quality"] ?? "90"), (1...100).contains(quality) else {
                    return RESTResponse(status: 415, body: .bytes(ByteBuffer()))
                }
                // Orthanc writes no 16-bit JPEG: image-uint16 and image-int16 answer 404.
                guard rendering != .imageUInt16, rendering != .imageInt16 else { return .notFound }
                jpegQuality = quality
            }
        }
        guard let file = try await parsedFile(of: id) else { return .notFound }
        if index == nil, rendering == .numpy {
            return try FrameRenderer.allFrames(
                of: file.dataSet, transferSyntax: file.transferSyntax, query: request.query)
        }
        return try FrameRenderer.answer(
            rendering, frame: index ?? 0, of: file.dataSet, transferSyntax: file.transferSyntax, query: request.query,
            jpegQuality: jpegQuality)
    }

    /// What `GET /instances/{id}/frames/{n}` lists, as Orthanc does.
    static let frameRenderings = [
        "image-int16", "image-uint16", "image-uint8", "matlab", "numpy", "preview", "raw", "raw.gz", "rendered",
    ]

    /// `GET /instances/{id}/file` with `Accept: application/dicom+json` (the instance as DICOM JSON, PS3.18
    /// Annex F, binary values inline, encapsulated pixel data left out as Orthanc does) or with `?filename=` (the file, with that name in `Content-Disposition`);
    /// nil for a plain download.
    func fileVariant(_ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse? {
        let accept = request.headers.first(where: { $0.key.lowercased() == "accept" })?.value ?? ""
        if accept.lowercased().contains("application/dicom+json") {
            guard var dataSet = try await parsedDataSet(of: id) else { return .notFound }
            // Orthanc leaves encapsulated pixel data out of this answer.
            if dataSet[.pixelData]?.fragments != nil { _ = dataSet.remove(.pixelData) }
            return .bytes(ByteBuffer(bytes: dataSet.dicomJSON()), contentType: "application/dicom+json")
        }
        guard let filename = request.query["filename"] else { return nil }
        guard let attachment = try await context.index.dicomFile(of: id) else { return .notFound }
        var response = RESTResponse.bytes(try await context.readFile(attachment), contentType: "application/dicom")
        let safe = filename.filter { $0 != "\"" && $0 != "\r" && $0 != "\n" }
        response.headers.append(("Content-Disposition", "filename=\"\(safe)\""))
        return response
    }

    /// The stored file of an instance, parsed; nil if the instance is unknown.
    func parsedFile(of id: OrthancID) async throws -> DICOMFile? {
        guard let attachment = try await context.index.dicomFile(of: id) else { return nil }
        let bytes = try await context.readFile(attachment)
        do {
            return try DICOMFile(reading: bytes)
        } catch {
            throw OrthancError(.corruptedFile, "a stored file does not parse")
        }
    }

    /// The data set of an instance's stored file; nil if the instance is unknown.
    func parsedDataSet(of id: OrthancID) async throws -> DataSet? {
        try await parsedFile(of: id)?.dataSet
    }

    /// One of Orthanc's JSON renderings of a data set, from the DICOM module; `?ignore-length` shows long values.
    func orthancJSON(_ dataSet: DataSet, format: OrthancJSONFormat, request: RESTRequest) -> RESTResponse {
        let bytes = dataSet.orthancJSON(format: format, maximumStringLength: request.flag("ignore-length") ? nil : 256)
        return .bytes(ByteBuffer(bytes: bytes), contentType: "application/json; charset=utf-8")
    }

    /// `POST /instances`: a DICOM file, a ZIP of DICOM files, a multipart form, optionally gzip-encoded.
    ///
    /// Every file is read before any is stored, so a bad upload stores nothing; the files of an archive are then
    /// stored together through the ingest service, each durable and indexed before the answer is sent.
    func ingest(_ request: RESTRequest) async throws -> RESTResponse {
        let maximumSize =
            context.configuration.maximumRequestBodySizeMB > 0
            ? context.configuration.maximumRequestBodySizeMB * 1024 * 1024 : Int.max
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        let unpacked = try UploadUnpacker.unpack(request.body, headers: headers, maximumSize: maximumSize)
        var prepared: [IngestService.PreparedInstance] = []
        prepared.reserveCapacity(unpacked.files.count)
        for file in unpacked.files {
            do {
                prepared.append(try context.ingest.prepare(file))
            } catch {
                throw error.error
            }
        }
        let origin = IngestOrigin.restAPI(remoteIP: request.remoteIP, username: request.username)
        var answers: [JSONValue] = []
        for outcome in await context.ingest.store(prepared, origin: origin) {
            switch outcome {
            case .stored(let ids): answers.append(Self.storeAnswer(ids, status: .success))
            case .alreadyStored(let ids): answers.append(Self.storeAnswer(ids, status: .alreadyStored))
            case .rejected(let rejection): throw rejection.error
            }
        }
        if unpacked.isArchive { return .json(.array(answers)) }
        return .json(answers.first ?? .null)
    }

    /// Orthanc's answer to a stored instance.
    static func storeAnswer(_ ids: ResourceIDs, status: StoreOutcome.Status) -> JSONValue {
        [
            "ID": .string(ids.instance.value),
            "ParentPatient": .string(ids.patient.value),
            "ParentStudy": .string(ids.study.value),
            "ParentSeries": .string(ids.series.value),
            "Path": .string("/instances/\(ids.instance.value)"),
            "Status": .string(status.rawValue),
        ]
    }
}
