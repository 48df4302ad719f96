import NIOCore

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
            guard
                let tag = try await context.index.putMetadata(
                    type, value: request.bodyText, of: id, level: level, expected: try Self.ifMatch(request),
                    requiresRevision: context.configuration.checkRevisions)
            else { return .notFound }
            return RESTResponse(
                status: 200, contentType: "text/plain", headers: [("ETag", tag.headerValue)], body: .bytes(ByteBuffer())
            )
        case .delete:
            guard type.isUserDefined else {
                throw OrthancError(.parameterOutOfRange, "only user-defined metadata can be deleted")
            }
            guard
                let deleted = try await context.index.deleteMetadata(
                    type, of: id, level: level, expected: try Self.ifMatch(request),
                    requiresRevision: context.configuration.checkRevisions)
            else { return .notFound }
            guard deleted else { throw OrthancError(.inexistentItem) }
            return .text("")
        default:
            guard let items = try await context.index.metadata(of: id, level: level) else { return .notFound }
            guard let item = items.first(where: { $0.0 == type }) else { throw OrthancError(.inexistentItem) }
            return RESTResponse(
                status: 200, contentType: "text/plain",
                headers: [("ETag", RevisionTag(revision: item.2, value: item.1).headerValue)],
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
}
