import NIOCore

/// Dispatches REST requests to the routes of Orthanc's API.
///
/// Unknown paths answer Orthanc's 404 error body; known paths called with another method answer 405 with an
/// `Allow` header and no body, as Orthanc does.
package struct OrthancRouter: Sendable {
    package let context: ImagingServerContext
    /// The jobs engine behind `/jobs` and asynchronous archives; its ``JobRegistry/run()`` must be running for
    /// jobs to progress.
    package let jobs: JobRegistry
    /// The queries of `POST /modalities/{id}/query`, behind `/queries`.
    package let queries = QueryRegistry()

    package init(context: ImagingServerContext) {
        self.context = context
        self.jobs = JobRegistry(
            historySize: context.configuration.jobsHistorySize, concurrency: context.configuration.concurrentJobs)
    }

    /// Answers a request; errors become Orthanc's error bodies.
    package func handle(_ request: RESTRequest) async -> RESTResponse {
        do {
            let response = try await route(request)
            if Self.mayNeedErrorBody(request, response),
                let level = ResourceLevel(routeSegment: Substring(request.segments[0])),
                try await context.index.resource(OrthancID(request.segments[1]), level: level) == nil
            {
                throw OrthancError(.unknownResource)
            }
            return response
        } catch {
            return OrthancErrorBody.response(for: error, method: request.method.rawValue, uri: request.uri)
        }
    }

    /// Image renderings that Orthanc answers with a bare 404 when the instance is unknown.
    static let renderingsWithBareNotFound: Set<String> = [
        "preview", "rendered", "image-uint8", "image-uint16", "image-int16",
    ]

    /// Orthanc answers a bare 404 for an unknown resource (`GET /studies/{unknown}`, its `DELETE`, its image
    /// renderings) but its error body (`Unknown resource`, 17) for the other routes under it (`/tags`,
    /// `/metadata/…`, `/file`, `/statistics`, …); checked against Orthanc 1.10.1. This tells whether a bare 404
    /// is such a route's; the caller then checks that the resource is unknown (a missing item of a known
    /// resource keeps its answer).
    static func mayNeedErrorBody(_ request: RESTRequest, _ response: RESTResponse) -> Bool {
        guard response.status == 404, case .bytes(let body) = response.body, body.readableBytes == 0,
            request.segments.count >= 3, let last = request.segments.last,
            ResourceLevel(routeSegment: Substring(request.segments[0])) != nil
        else { return false }
        return !renderingsWithBareNotFound.contains(last)
    }

    func route(_ request: RESTRequest) async throws -> RESTResponse {
        let segments = request.segments
        guard let first = segments.first else {
            throw OrthancError(.unknownResource)
        }
        if let level = ResourceLevel(routeSegment: Substring(first)) {
            return try await routeResource(level: level, request)
        }
        switch (first, segments.count) {
        case ("system", 1):
            return try await allow([.get], request) { try await system() }
        case ("statistics", 1):
            return try await allow([.get], request) { try await statistics() }
        case ("changes", 1):
            return try await allow([.get, .delete], request) { try await changes(request) }
        case ("jobs", _):
            return try await routeJobs(request)
        case ("modalities", _):
            return try await routeModalities(request)
        case ("queries", _):
            return try await routeQueries(request)
        case ("storage-commitment", 2), ("storage-commitment", 3):
            return try await routeStorageCommitment(request)
        case ("exports", 1):
            return try await allow([.get, .delete], request) { try await exports(request) }
        case ("tools", 2):
            switch segments[1] {
            case "now": return try await allow([.get], request) { .text(OrthancTimestamp.now(utc: true)) }
            case "now-local": return try await allow([.get], request) { .text(OrthancTimestamp.now(utc: false)) }
            case "generate-uid": return try await allow([.get], request) { try generateUID(request) }
            case "find": return try await allow([.post], request) { try await find(request) }
            case "lookup": return try await allow([.post], request) { try await lookup(request) }
            case "labels": return try await allow([.get], request) { try await allLabels() }
            case "create-archive": return try await allow([.post], request) { try await createArchive(request) }
            case "dicom-echo": return try await allow([.post], request) { try await dicomEcho(request) }
            case "accepted-transfer-syntaxes":
                return try await allow([.get, .put], request) { try acceptedTransferSyntaxes(request) }
            case "unknown-sop-class-accepted":
                return try await allow([.get, .put], request) { try unknownSOPClassAccepted(request) }
            default: break
            }
        default: break
        }
        throw OrthancError(.unknownResource)
    }

    /// Runs `body` if the method is allowed, else answers 405.
    func allow(
        _ methods: [RESTRequest.Method], _ request: RESTRequest, _ body: () async throws -> RESTResponse
    ) async throws -> RESTResponse {
        guard methods.contains(request.method) || (request.method == .head && methods.contains(.get)) else {
            return .methodNotAllowed(methods)
        }
        return try await body()
    }
}

extension RESTResponse {
    /// A plain-text answer.
    static func text(_ text: String) -> RESTResponse {
        .bytes(.init(string: text), contentType: "text/plain")
    }
}
