import Foundation

extension OrthancRouter {
    /// Routes under `/patients`, `/studies`, `/series` and `/instances`.
    func routeResource(level: ResourceLevel, _ request: RESTRequest) async throws -> RESTResponse {
        let segments = request.segments
        if segments.count == 1 {
            if level == .instance {
                return try await allow([.get, .post], request) {
                    request.method == .post ? try await ingest(request) : try await list(level, request)
                }
            }
            return try await allow([.get], request) { try await list(level, request) }
        }
        let id = OrthancID(segments[1])
        if segments.count == 2 {
            return try await allow([.get, .delete], request) {
                request.method == .delete ? try await delete(level, id) : try await show(level, id, request)
            }
        }
        let action = segments[2]
        if segments.count == 3 {
            if let target = ResourceLevel(routeSegment: Substring(action)) ?? Self.singular(action) {
                if target > level, ResourceLevel(routeSegment: Substring(action)) != nil {
                    return try await allow([.get], request) { try await descendants(level, id, target, request) }
                }
                if target < level, Self.singular(action) != nil {
                    return try await allow([.get], request) { try await ancestor(level, id, target, request) }
                }
            }
            switch action {
            case "metadata": return try await allow([.get], request) { try await metadataList(level, id, request) }
            case "labels": return try await allow([.get], request) { try await labels(level, id) }
            case "attachments": return try await allow([.get], request) { try await attachments(level, id, request) }
            case "statistics": return try await allow([.get], request) { try await resourceStatistics(level, id) }
            case "shared-tags" where level != .instance:
                return try await allow([.get], request) { try await sharedTags(level, id, request) }
            case "archive" where level != .instance:
                return try await allow([.get, .post], request) { try await archive(level, id, request) }
            case "protected" where level == .patient:
                return try await allow([.get, .put], request) { try await protected(id, request) }
            default: break
            }
            if let response = try await routeInstanceContent(level: level, id: id, request) { return response }
        }
        if segments.count == 4 {
            switch action {
            case "metadata":
                return try await allow([.get, .put, .delete], request) {
                    try await metadataItem(level, id, name: segments[3], request)
                }
            case "labels":
                return try await allow([.get, .put, .delete], request) {
                    try await label(level, id, name: segments[3], request)
                }
            case "attachments":
                return try await allow([.get, .put, .delete], request) {
                    try await attachment(level, id, name: segments[3], request)
                }
            default: break
            }
        }
        if segments.count == 5 && action == "attachments" {
            return try await allow([.get, .post], request) {
                try await attachmentItem(level, id, name: segments[3], item: segments[4], request)
            }
        }
        if let response = try await routeInstanceContent(level: level, id: id, request) { return response }
        throw OrthancError(.unknownResource)
    }

    static func singular(_ segment: String) -> ResourceLevel? {
        switch segment {
        case "patient": .patient
        case "study": .study
        case "series": .series
        default: nil
        }
    }

    /// `GET /{level}?expand&since&limit&requested-tags`.
    func list(_ level: ResourceLevel, _ request: RESTRequest) async throws -> RESTResponse {
        let since = try request.integer("since") ?? 0
        let limit = try request.integer("limit") ?? 0
        let ids = try await context.index.list(level: level, since: since, limit: limit)
        if request.flag("expand") {
            return .json(.array(try await render(ids, level: level, requestedTags: requestedTags(request))))
        }
        return .json(.array(ids.map { .string($0.value) }))
    }

    func requestedTags(_ request: RESTRequest) -> [String] {
        guard let text = request.query["requested-tags"], !text.isEmpty else { return [] }
        return text.split(separator: ";").map(String.init)
    }

    /// Renders resources in Orthanc's expanded form.
    func render(_ ids: [OrthancID], level: ResourceLevel, requestedTags: [String] = []) async throws -> [JSONValue] {
        let summaries = try await context.index.resources(
            ids, level: level, computing: requestedTags.compactMap { ComputedTag(named: $0) })
        return summaries.map {
            ResourceRenderer.resource($0, isStable: context.stability.isStable($0.id), requestedTags: requestedTags)
        }
    }

    /// `GET /{level}/{id}`.
    func show(_ level: ResourceLevel, _ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        let requested = requestedTags(request)
        guard
            let summary = try await context.index.resource(
                id, level: level, computing: requested.compactMap { ComputedTag(named: $0) })
        else { return .notFound }
        return .json(
            ResourceRenderer.resource(summary, isStable: context.stability.isStable(id), requestedTags: requested))
    }

    /// `DELETE /{level}/{id}`: `{"RemainingAncestor": {ID, Path, Type} | null}`.
    func delete(_ level: ResourceLevel, _ id: OrthancID) async throws -> RESTResponse {
        guard let outcome = try await context.index.delete(id, level: level) else { return .notFound }
        context.removeFiles(outcome.files)
        context.stability.forget(id)
        let ancestor: JSONValue =
            outcome.remainingAncestor.map { ResourceRenderer.reference(level: $0.0, id: $0.1) } ?? .null
        return .json(["RemainingAncestor": ancestor])
    }

    /// `GET /studies/{id}/instances` and the like: the expanded descendants at a level.
    func descendants(_ level: ResourceLevel, _ id: OrthancID, _ target: ResourceLevel, _ request: RESTRequest)
        async throws -> RESTResponse
    {
        guard let ids = try await context.index.descendants(of: id, level: level, at: target) else { return .notFound }
        if request.query["expand"] == "false" || request.query["expand"] == "0" {
            return .json(.array(ids.map { .string($0.value) }))
        }
        return .json(.array(try await render(ids, level: target, requestedTags: requestedTags(request))))
    }

    /// `GET /instances/{id}/study` and the like: the expanded ancestor at a level.
    func ancestor(_ level: ResourceLevel, _ id: OrthancID, _ target: ResourceLevel, _ request: RESTRequest)
        async throws -> RESTResponse
    {
        guard let ancestorID = try await context.index.ancestor(of: id, level: level, at: target),
            let rendered = try await render([ancestorID], level: target, requestedTags: requestedTags(request)).first
        else { return .notFound }
        return .json(rendered)
    }

    /// `GET /{level}/{id}/statistics`.
    func resourceStatistics(_ level: ResourceLevel, _ id: OrthancID) async throws -> RESTResponse {
        guard let instances = try await context.index.descendants(of: id, level: level, at: .instance) else {
            return .notFound
        }
        var compressed: Int64 = 0
        var uncompressed: Int64 = 0
        for instance in instances {
            if let file = try await context.index.dicomFile(of: instance) {
                compressed += file.compressedSize
                uncompressed += file.uncompressedSize
            }
        }
        var members: [String: JSONValue] = [
            "DiskSize": .string(String(compressed)), "DiskSizeMB": .int(compressed / (1024 * 1024)),
            "UncompressedSize": .string(String(uncompressed)), "UncompressedSizeMB": .int(uncompressed / (1024 * 1024)),
            "DicomDiskSize": .string(String(compressed)), "DicomDiskSizeMB": .int(compressed / (1024 * 1024)),
            "DicomUncompressedSize": .string(String(uncompressed)),
            "DicomUncompressedSizeMB": .int(uncompressed / (1024 * 1024)),
        ]
        var current = level
        while let child = current.child {
            let count = try await context.index.descendants(of: id, level: level, at: child)?.count ?? 0
            let key: String =
                switch child {
                case .study: "CountStudies"
                case .series: "CountSeries"
                case .instance: "CountInstances"
                case .patient: "CountPatients"
                }
            members[key] = .int(Int64(count))
            current = child
        }
        return .json(.object(members))
    }

    /// `GET|PUT /patients/{id}/protected`: "0" or "1".
    func protected(_ id: OrthancID, _ request: RESTRequest) async throws -> RESTResponse {
        if request.method == .put {
            let text = request.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text == "0" || text == "1" else { throw OrthancError(.badRequest, "expected 0 or 1") }
            guard try await context.index.setProtected(text == "1", patient: id) else { return .notFound }
            return .text("")
        }
        guard let summary = try await context.index.resource(id, level: .patient) else { return .notFound }
        return .text(summary.isProtected ? "1" : "0")
    }
}
