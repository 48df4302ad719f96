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

    /// `POST /instances`.
    func ingest(_ request: RESTRequest) async throws -> RESTResponse {
        throw OrthancError(.notImplemented, "DICOM ingest needs the DICOM parser")
    }
}
