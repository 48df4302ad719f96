import NIOCore
import Persistence

extension OrthancRouter {
    /// The name of an attachment type in routes: Orthanc's names, the configured `UserContentType` names, or
    /// the number.
    func attachmentName(_ fileType: Int) -> String {
        switch fileType {
        case 1: "dicom"
        case 2: "dicom-as-json"
        case 3: "dicom-until-pixel-data"
        default:
            context.configuration.userContentTypes.first(where: { $0.value.number == fileType })?.key
                ?? String(fileType)
        }
    }

    /// The attachment type named in a route, or nil.
    func attachmentType(_ name: String) -> Int? {
        switch name {
        case "dicom": 1
        case "dicom-as-json": 2
        case "dicom-until-pixel-data": 3
        default: context.configuration.userContentTypes[name]?.number ?? Int(name)
        }
    }

    /// The `ETag` header of an attachment.
    static func eTag(_ attachment: AttachmentInfo) -> (String, String) {
        ("ETag", attachment.revisionTag.headerValue)
    }

    /// The `If-Match` header of a request, read.
    static func ifMatch(_ request: RESTRequest) throws -> RevisionTag? {
        guard let value = request.headers.first(where: { $0.key.lowercased() == "if-match" })?.value else {
            return nil
        }
        return try RevisionTag(ifMatch: value)
    }

    /// Orthanc's answer to a change of a system attachment or of a type out of the user range: 403, no body.
    static var forbidden: RESTResponse { RESTResponse(status: 403, body: .bytes(ByteBuffer())) }

    /// `GET /{level}/{id}/attachments[?full]`.
    func attachments(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard let items = try await context.index.attachments(of: id, level: level) else { return .notFound }
        if request.flag("full") {
            return .json(
                .object(
                    Dictionary(
                        items.map { (attachmentName($0.fileType), JSONValue.int(Int64($0.fileType))) },
                        uniquingKeysWith: { a, _ in a })))
        }
        return .json(.array(items.map { .string(attachmentName($0.fileType)) }))
    }

    /// `GET|PUT|DELETE /{level}/{id}/attachments/{name}`.
    func attachment(_ level: ResourceLevel, _ id: OrthancID, name: String, _ request: RESTRequest) async throws
        -> RESTResponse
    {
        switch request.method {
        case .put: return try await putAttachment(level, id, name: name, request)
        case .delete: return try await deleteAttachment(level, id, name: name, request)
        default: return try await attachmentOperations(level, id, name: name)
        }
    }

    /// The attachment named in a route; nil if the resource is unknown.
    ///
    /// - Throws: `OrthancError.unknownResource` if the resource has no such attachment.
    private func existingAttachment(_ level: ResourceLevel, _ id: OrthancID, name: String) async throws
        -> AttachmentInfo?
    {
        guard let items = try await context.index.attachments(of: id, level: level) else { return nil }
        guard let type = attachmentType(name), let item = items.first(where: { $0.fileType == type }) else {
            throw OrthancError(.unknownResource)
        }
        return item
    }

    /// `GET /{level}/{id}/attachments/{name}`: the operations available on it.
    func attachmentOperations(_ level: ResourceLevel, _ id: OrthancID, name: String) async throws -> RESTResponse {
        guard let item = try await existingAttachment(level, id, name: name) else { return .notFound }
        var operations = [
            "compress", "compressed-data", "compressed-md5", "compressed-size", "data", "info", "is-compressed",
            "md5", "size", "uncompress", "verify-md5", "uuid",
        ]
        if item.uncompressedMD5 == nil { operations.removeAll { $0.hasSuffix("md5") } }
        var response = RESTResponse.json(.array(operations.map { .string($0) }))
        response.headers.append(Self.eTag(item))
        return response
    }

    /// `PUT /{level}/{id}/attachments/{name}`: stores the body as a user-defined attachment (types 1024 to
    /// 65535), compressed when `StorageCompression` is on, durably before the answer.
    func putAttachment(_ level: ResourceLevel, _ id: OrthancID, name: String, _ request: RESTRequest) async throws
        -> RESTResponse
    {
        guard let type = attachmentType(name) else { throw OrthancError(.inexistentItem) }
        guard (1024...65535).contains(type) else { return Self.forbidden }
        let expected = try Self.ifMatch(request)
        let file = try await context.storeFile(request.body)
        let update: AttachmentUpdate?
        do {
            update = try await context.index.setAttachment(
                file, fileType: type, of: id, level: level, expected: expected,
                requiresRevision: context.configuration.checkRevisions)
        } catch {
            context.storage.remove(uuid: file.uuid)
            throw error
        }
        guard let update else {
            context.storage.remove(uuid: file.uuid)
            return .notFound
        }
        if let replaced = update.replacedFile { context.removeFiles([replaced]) }
        let tag = RevisionTag(revision: update.revision, md5: file.uncompressedMD5)
        return RESTResponse(
            status: 200, contentType: "application/json", headers: [("ETag", tag.headerValue)],
            body: .bytes(ByteBuffer(string: "{}")))
    }

    /// `DELETE /{level}/{id}/attachments/{name}`: user-defined attachments only.
    func deleteAttachment(_ level: ResourceLevel, _ id: OrthancID, name: String, _ request: RESTRequest)
        async throws -> RESTResponse
    {
        guard let type = attachmentType(name) else { throw OrthancError(.inexistentItem) }
        guard (1024...65535).contains(type) else { return Self.forbidden }
        let expected = try Self.ifMatch(request)
        guard
            let deleted = try await context.index.deleteAttachment(
                fileType: type, of: id, level: level, expected: expected,
                requiresRevision: context.configuration.checkRevisions)
        else { return .notFound }
        guard let file = deleted else { throw OrthancError(.unknownResource) }
        context.removeFiles([file])
        return .text("")
    }

    /// `GET /{level}/{id}/attachments/{name}/{item}` and `POST …/verify-md5|compress|uncompress`.
    func attachmentItem(_ level: ResourceLevel, _ id: OrthancID, name: String, item: String, _ request: RESTRequest)
        async throws -> RESTResponse
    {
        let isAction = ["verify-md5", "compress", "uncompress"].contains(item)
        if isAction != (request.method == .post) {
            return .methodNotAllowed(isAction ? [.post] : [.get])
        }
        guard let attachment = try await existingAttachment(level, id, name: name) else { return .notFound }
        var response: RESTResponse
        switch item {
        case "size": response = .text(String(attachment.uncompressedSize))
        case "compressed-size": response = .text(String(attachment.compressedSize))
        case "md5": response = .text(attachment.uncompressedMD5 ?? "")
        case "compressed-md5": response = .text(attachment.compressedMD5 ?? "")
        case "is-compressed": response = .text(attachment.compressionType == 1 ? "0" : "1")
        case "info":
            response = .json([
                "CompressedMD5": .string(attachment.compressedMD5 ?? ""),
                "CompressedSize": .int(attachment.compressedSize),
                "ContentType": .int(Int64(attachment.fileType)),
                "UncompressedMD5": .string(attachment.uncompressedMD5 ?? ""),
                "UncompressedSize": .int(attachment.uncompressedSize),
                "Uuid": .string(attachment.uuid),
            ])
        case "data":
            let bytes = try await context.readFile(attachment)
            let isDICOM = attachment.fileType == 1
            response = .bytes(bytes, contentType: isDICOM ? "application/dicom" : mimeType(of: attachment.fileType))
            response.headers.append(
                ("Content-Disposition", "filename=\"\(attachment.uuid)\(isDICOM ? ".dcm" : "")\""))
        case "compressed-data":
            response = .bytes(
                try context.storage.readRaw(uuid: attachment.uuid), contentType: "application/octet-stream")
        case "verify-md5":
            let bytes = try await context.readFile(attachment)
            guard StorageArea.md5(bytes) == attachment.uncompressedMD5 else {
                throw OrthancError(.corruptedFile)
            }
            return Self.emptyJSONObject
        case "compress", "uncompress":
            let compress = item == "compress"
            guard compress != (attachment.compression != .none) else { return Self.emptyJSONObject }
            let bytes = try await context.readFile(attachment)
            let file = try await context.storeFile(bytes, compressed: compress)
            guard
                let replaced = try await context.index.reencodeAttachment(
                    file, fileType: attachment.fileType, of: id, level: level)
            else {
                context.storage.remove(uuid: file.uuid)
                return .notFound
            }
            context.removeFiles([replaced])
            return Self.emptyJSONObject
        default:
            throw OrthancError(.unknownResource)
        }
        response.headers.append(Self.eTag(attachment))
        return response
    }

    /// The MIME type of a user-defined attachment (`UserContentType`), by default `application/octet-stream`.
    func mimeType(of fileType: Int) -> String {
        context.configuration.userContentTypes.values.first(where: { $0.number == fileType })?.mimeType
            ?? "application/octet-stream"
    }

    /// `{}` as Orthanc answers a successful action: `application/json` without a character set.
    static var emptyJSONObject: RESTResponse {
        RESTResponse(status: 200, contentType: "application/json", body: .bytes(ByteBuffer(string: "{}")))
    }
}
