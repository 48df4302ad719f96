import Foundation
import NIOCore
import Persistence

extension OrthancRouter {
    /// Routes that read an instance's DICOM file: `/instances/{id}/file`.
    func routeInstanceContent(level: ResourceLevel, id: OrthancID, _ request: RESTRequest) async throws
        -> RESTResponse?
    {
        guard level == .instance, request.segments.count == 3 else { return nil }
        switch request.segments[2] {
        case "file":
            return try await allow([.get], request) {
                guard let attachment = try await context.index.dicomFile(of: id) else { return .notFound }
                let bytes = try context.storage.read(uuid: attachment.uuid, compression: attachment.compression)
                return .bytes(bytes, contentType: "application/dicom")
            }
        default:
            return nil
        }
    }

    /// `POST /instances`: a DICOM file, a ZIP of DICOM files, a multipart form, optionally gzip-encoded.
    ///
    /// Every file is parsed before any is stored, so a bad upload stores nothing. Each stored file is durable
    /// (synced) and indexed in a group commit before the answer is sent.
    func ingest(_ request: RESTRequest) async throws -> RESTResponse {
        let maximumSize = context.configuration.maximumRequestBodySizeMB > 0
            ? context.configuration.maximumRequestBodySizeMB * 1024 * 1024 : Int.max
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        let unpacked = try UploadUnpacker.unpack(request.body, headers: headers, maximumSize: maximumSize)
        let readings = try unpacked.files.map { try InstanceReader.read($0) }
        var answers: [JSONValue] = []
        for (bytes, reading) in zip(unpacked.files, readings) {
            answers.append(try await store(bytes, reading: reading, request: request))
        }
        if unpacked.isArchive { return .json(.array(answers)) }
        return .json(answers.first ?? .null)
    }

    /// Stores one parsed file: storage area first, then the index; the new file is removed if the index refuses it.
    func store(_ bytes: ByteBuffer, reading: InstanceReader.Reading, request: RESTRequest) async throws -> JSONValue {
        let file = try context.storage.store(bytes)
        var metadata: [MetadataType: String] = [
            .receptionDate: OrthancTimestamp.now(), .remoteAET: "", .origin: "RestApi",
            .transferSyntax: reading.transferSyntaxUID, .remoteIP: request.remoteIP,
            .httpUsername: request.username,
        ]
        if let sopClass = reading.sopClassUID { metadata[.sopClassUID] = sopClass }
        if let offset = reading.pixelDataOffset { metadata[.pixelDataOffset] = String(offset) }
        if let vr = reading.pixelDataVR { metadata[.pixelDataVR] = vr }
        if let number = reading.tags[0x0020_0013].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
            ?? reading.tags[0x0054_1330].flatMap({ Int($0) })
        {
            metadata[.indexInSeries] = String(number)
        }
        let record = InstanceRecord(
            patientID: reading.patientID, studyInstanceUID: reading.studyInstanceUID,
            seriesInstanceUID: reading.seriesInstanceUID, sopInstanceUID: reading.sopInstanceUID, tags: reading.tags,
            metadata: metadata, file: file)
        let outcome: StoreOutcome
        do {
            outcome = try await context.index.store(
                record, overwrite: context.configuration.overwriteInstances, limits: context.recyclingLimits)
        } catch {
            context.storage.remove(uuid: file.uuid)
            throw error
        }
        if outcome.status == .alreadyStored {
            context.storage.remove(uuid: file.uuid)
        } else {
            context.stability.touch(outcome.ids)
        }
        context.removeFiles(outcome.obsoleteFiles)
        return [
            "ID": .string(outcome.ids.instance.value),
            "ParentPatient": .string(outcome.ids.patient.value),
            "ParentStudy": .string(outcome.ids.study.value),
            "ParentSeries": .string(outcome.ids.series.value),
            "Path": .string("/instances/\(outcome.ids.instance.value)"),
            "Status": .string(outcome.status.rawValue),
        ]
    }
}
