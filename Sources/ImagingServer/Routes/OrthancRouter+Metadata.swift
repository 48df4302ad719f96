import NIOCore
import Persistence

extension OrthancRouter {
    /// `GET /{level}/{id}/metadata[?expand]`: names, or names to values.
    func metadataList(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard let items = try await context.index.metadata(of: id, level: level) else { return .notFound }
        if request.flag("expand") {
            return .json(
                .object(Dictionary(items.map { ($0.0.name, JSONValue.string($0.1)) }, uniquingKeysWith: { a, _ in a })))
        }
        return .json(.array(items.map { .string($0.0.name) }))
    }

    /// `GET|PUT|DELETE /{level}/{id}/metadata/{name}`.
    func metadataItem(_ level: ResourceLevel, _ id: OrthancID, name: String, _ request: RESTRequest) async throws
        -> RESTResponse
    {
        guard let type = MetadataType(name: name) else {
            throw OrthancError(.parameterOutOfRange, "unknown metadata: \(name)")
        }
        switch request.method {
        case .put:
            guard type.isUserDefined else {
                throw OrthancError(.parameterOutOfRange, "only user-defined metadata can be changed")
            }
            guard try await context.index.setMetadata(type, value: request.bodyText, of: id, level: level) else {
                return .notFound
            }
            return .emptyObject
        case .delete:
            guard type.isUserDefined else {
                throw OrthancError(.parameterOutOfRange, "only user-defined metadata can be deleted")
            }
            guard let deleted = try await context.index.deleteMetadata(type, of: id, level: level) else {
                return .notFound
            }
            guard deleted else { throw OrthancError(.inexistentItem) }
            return .emptyObject
        default:
            guard let items = try await context.index.metadata(of: id, level: level) else { return .notFound }
            guard let item = items.first(where: { $0.0 == type }) else { throw OrthancError(.inexistentItem) }
            return RESTResponse(
                status: 200, contentType: "text/plain", headers: [("ETag", "\"\(item.2)\"")],
                body: .bytes(ByteBuffer(string: item.1)))
        }
    }

    /// `GET /{level}/{id}/labels`.
    func labels(_ level: ResourceLevel, _ id: OrthancID) async throws -> RESTResponse {
        guard let summary = try await context.index.resource(id, level: level) else { return .notFound }
        return .json(.array(summary.labels.map { .string($0) }))
    }

    /// `GET|PUT|DELETE /{level}/{id}/labels/{label}`. Labels are ASCII letters, digits, `_` and `-`.
    func label(_ level: ResourceLevel, _ id: OrthancID, name: String, _ request: RESTRequest) async throws
        -> RESTResponse
    {
        let isValid =
            !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            }
        guard isValid else { throw OrthancError(.parameterOutOfRange, "invalid label: \(name)") }
        switch request.method {
        case .put, .delete:
            guard try await context.index.setLabel(name, present: request.method == .put, of: id, level: level) else {
                return .notFound
            }
            return .emptyObject
        default:
            guard let summary = try await context.index.resource(id, level: level) else { return .notFound }
            guard summary.labels.contains(name) else { throw OrthancError(.unknownResource) }
            return .text("")
        }
    }

    static func attachmentName(_ fileType: Int) -> String {
        switch fileType {
        case 1: "dicom"
        case 3: "dicom-until-pixel-data"
        default: String(fileType)
        }
    }

    static func attachmentType(_ name: String) -> Int? {
        switch name {
        case "dicom": 1
        case "dicom-until-pixel-data": 3
        default: Int(name)
        }
    }

    /// `GET /{level}/{id}/attachments[?full]`.
    func attachments(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        guard let items = try await context.index.attachments(of: id, level: level) else { return .notFound }
        if request.flag("full") {
            return .json(
                .object(
                    Dictionary(
                        items.map { (Self.attachmentName($0.fileType), JSONValue.int(Int64($0.fileType))) },
                        uniquingKeysWith: { a, _ in a })))
        }
        return .json(.array(items.map { .string(Self.attachmentName($0.fileType)) }))
    }

    /// `GET /{level}/{id}/attachments/{name}`: the operations available on it.
    func attachmentOperations(_ level: ResourceLevel, _ id: OrthancID, name: String) async throws -> RESTResponse {
        guard let items = try await context.index.attachments(of: id, level: level) else { return .notFound }
        guard let type = Self.attachmentType(name), let item = items.first(where: { $0.fileType == type }) else {
            throw OrthancError(.unknownResource)
        }
        var operations = [
            "compressed-data", "compressed-md5", "compressed-size", "data", "info", "is-compressed",
            "md5", "size", "verify-md5",
        ]
        if item.uncompressedMD5 == nil { operations.removeAll { $0.hasSuffix("md5") } }
        return .json(.array(operations.map { .string($0) }))
    }

    /// `GET /{level}/{id}/attachments/{name}/{item}`.
    func attachmentItem(_ level: ResourceLevel, _ id: OrthancID, name: String, item: String, _ request: RESTRequest)
        async throws -> RESTResponse
    {
        guard let items = try await context.index.attachments(of: id, level: level) else { return .notFound }
        guard let type = Self.attachmentType(name), let attachment = items.first(where: { $0.fileType == type }) else {
            throw OrthancError(.unknownResource)
        }
        switch item {
        case "size": return .text(String(attachment.uncompressedSize))
        case "compressed-size": return .text(String(attachment.compressedSize))
        case "md5": return .text(attachment.uncompressedMD5 ?? "")
        case "compressed-md5": return .text(attachment.compressedMD5 ?? "")
        case "is-compressed": return .text(attachment.compressionType == 1 ? "0" : "1")
        case "info":
            return .json([
                "CompressedMD5": .string(attachment.compressedMD5 ?? ""),
                "CompressedSize": .int(attachment.compressedSize),
                "ContentType": .int(Int64(attachment.fileType)),
                "UncompressedMD5": .string(attachment.uncompressedMD5 ?? ""),
                "UncompressedSize": .int(attachment.uncompressedSize),
                "Uuid": .string(attachment.uuid),
            ])
        case "data":
            let bytes = try context.storage.read(uuid: attachment.uuid, compression: attachment.compression)
            return .bytes(bytes, contentType: type == 1 ? "application/dicom" : "application/octet-stream")
        case "compressed-data":
            return .bytes(try context.storage.readRaw(uuid: attachment.uuid), contentType: "application/octet-stream")
        case "verify-md5":
            let bytes = try context.storage.read(uuid: attachment.uuid, compression: attachment.compression)
            guard StorageArea.md5(bytes) == attachment.uncompressedMD5 else {
                throw OrthancError(.corruptedFile)
            }
            return .emptyObject
        default:
            throw OrthancError(.unknownResource)
        }
    }
}
